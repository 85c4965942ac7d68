package io.linkguard.auth.provider;

/** A bad catalog entry; thrown at start-up with a message naming the file, the entry and the field. */
public class ProviderCatalogException extends RuntimeException {

    public ProviderCatalogException(String message) {
        super(message);
    }
}
