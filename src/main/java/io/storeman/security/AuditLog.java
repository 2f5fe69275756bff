package io.storeman.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One structured line per security event, on the {@code storeman.audit} logger: the event, the user and client
 * involved, the client's IP and the request id. Never a secret, a password or a token.
 */
@ApplicationScoped
public class AuditLog {

    /** The security events worth a line. */
    public enum Event {
        SIGN_IN_SUCCEEDED, SIGN_IN_FAILED, TOKEN_ISSUED, TOKEN_REFRESHED, TOKEN_REVOKED, REFRESH_TOKEN_REUSED,
        APPLICATION_CREATED, APPLICATION_DELETED, SECRET_REGENERATED, SECRET_CREATED, SECRET_DELETED,
        PASSWORD_CHANGED, AUTHORIZATION_REVOKED
    }

    private static final Logger LOG = Logger.getLogger("storeman.audit");

    public void record(Event event, Long userId, String clientId) {
        record(event, userId, clientId, null);
    }

    /** {@code detail} is a short, safe word or two (a grant type, a reason), never a credential. */
    public void record(Event event, Long userId, String clientId, String detail) {
        String name = event.name().toLowerCase();
        MDC.put("audit_event", name);
        MDC.put("user_id", userId == null ? "" : userId.toString());
        MDC.put("client_id", clientId == null ? "" : clientId);
        String ip = ClientAddress.current().ip();
        MDC.put("ip", ip);
        try {
            LOG.infof("audit event=%s user_id=%s client_id=%s ip=%s%s", name, userId == null ? "-" : userId,
                    clientId == null ? "-" : clientId, ip, detail == null ? "" : " detail=" + detail);
        } finally {
            MDC.remove("audit_event");
            MDC.remove("user_id");
            MDC.remove("client_id");
            MDC.remove("ip");
        }
    }
}
