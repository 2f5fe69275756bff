package io.storeman.application;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

/**
 * Stores a list of URIs in a text column, space-separated: registration refuses a URI that is not absolute, and an
 * absolute URI holds no space, so the separator never occurs inside one. The order is kept.
 */
@Converter
public class UriListColumn implements AttributeConverter<String[], String> {

    private static final String[] NONE = new String[0];

    @Override
    public String convertToDatabaseColumn(String[] uris) {
        return uris == null ? "" : String.join(" ", uris);
    }

    @Override
    public String[] convertToEntityAttribute(String column) {
        return parse(column);
    }

    /** The URIs of a column value; none for null or blank. */
    static String[] parse(String column) {
        if (column == null || column.isBlank()) {
            return NONE;
        }
        return Arrays.stream(column.split(" ")).filter(uri -> !uri.isEmpty()).toArray(String[]::new);
    }
}
