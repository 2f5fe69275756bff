package io.storeman.common;

import io.storeman.web.WebHeaders;

/**
 * A deliberate break of the layer rule (the bottom package reaching the web pages), for ArchitectureTest to prove
 * that the rule fails. It is a test class, so the rule over the main classes never sees it.
 */
public class UpwardDependency {

    public String policy() {
        return WebHeaders.POLICY;
    }
}
