package io.storeman.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Applies a JSON merge patch (RFC 7396) to the input record a resource was created from, and validates the result
 * with the same constraints as a creation: a field the patch leaves out keeps its value, a field set to
 * {@code null} is cleared (and fails validation when it is required), fields the record does not know are ignored.
 */
@ApplicationScoped
public class MergePatch {

    /** RFC 7396's media type; plain {@code application/json} is accepted as well. */
    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private final ObjectMapper json;
    private final Validator validator;

    MergePatch(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** {@code current} with {@code patch} applied; a 400 (problem+json) when the result is invalid. */
    public <T> T apply(T current, ObjectNode patch, Class<T> type) {
        if (patch == null) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        ObjectNode merged = json.valueToTree(current);
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (merged.has(field.getKey())) {
                merged.set(field.getKey(), field.getValue());
            }
        }
        T result;
        try {
            result = json.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid(fieldOf(e), "has the wrong JSON type");
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("body", "is not a valid patch");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(result);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return result;
    }

    private static String fieldOf(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String name = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (name != null) {
                return name;
            }
        }
        return "body";
    }
}
