package io.storeman.oauth;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores {@link Scopes} in a text column, space-separated in the order of {@link Scope}: entities carry scopes as a
 * type, and the column is read back here, in one place, rather than at every use.
 */
@Converter
public class ScopesColumn implements AttributeConverter<Scopes, String> {

    @Override
    public String convertToDatabaseColumn(Scopes scopes) {
        return scopes == null ? null : scopes.toString();
    }

    @Override
    public Scopes convertToEntityAttribute(String column) {
        return column == null ? null : Scopes.parseStored(column);
    }
}
