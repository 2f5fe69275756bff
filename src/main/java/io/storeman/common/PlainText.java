package io.storeman.common;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A text field a client sets, checked with {@link TextInput} (L8): no control character (PostgreSQL refuses U+0000)
 * and no unpaired surrogate; null is valid. Descriptions are {@code multiline}: tab, line feed and carriage return.
 */
@Documented
@Constraint(validatedBy = PlainText.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
public @interface PlainText {

    String message() default "must not contain control or invalid characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Whether the text may span lines. */
    boolean multiline() default false;

    class Check implements ConstraintValidator<PlainText, String> {

        private boolean multiline;

        @Override
        public void initialize(PlainText constraint) {
            multiline = constraint.multiline();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || (multiline ? TextInput.isPlainMultiline(value) : TextInput.isPlain(value));
        }
    }
}
