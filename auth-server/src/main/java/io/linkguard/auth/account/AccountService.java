package io.linkguard.auth.account;

import io.linkguard.auth.problem.AuthProblem;
import io.linkguard.sql.Sql;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Sign-up, members, sign-in checks. */
@Singleton
public class AccountService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,}$");
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 200;

    private static final UUID NOBODY = new UUID(0, 0);

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final KnownDevices devices;

    AccountService(AccountRepository accounts, PasswordHasher hasher, LoginThrottle throttle, KnownDevices devices) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.throttle = throttle;
        this.devices = devices;
    }

    /** Creates an org and its owner in one transaction. */
    @Transactional
    public UserAccount signup(String orgName, String email, String password) {
        validate(email, password);
        if (orgName == null || orgName.isBlank() || orgName.length() > 200) {
            throw AuthProblem.BAD_REQUEST.refuse("orgName: must be 1 to 200 characters");
        }
        UUID orgId = UUID.randomUUID();
        accounts.insertOrg(orgId, orgName.trim());
        return insertUser(orgId, email, password, Role.OWNER.value());
    }

    /** Adds a user to an org. */
    @Transactional
    public UserAccount addUser(UUID orgId, String email, String password, String role) {
        validate(email, password);
        if (!Role.MEMBER.is(role) && !Role.ADMIN.is(role)) {
            throw AuthProblem.BAD_REQUEST.refuse("role: must be 'member' or 'admin'");
        }
        return insertUser(orgId, email, password, role);
    }

    private UserAccount insertUser(UUID orgId, String email, String password, String role) {
        UUID id = UUID.randomUUID();
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        try {
            accounts.insertUser(id, orgId, normalized, hasher.hash(password), role);
        } catch (Sql.SqlFailure e) {
            if (e.isUniqueViolation()) {
                throw AuthProblem.EMAIL_TAKEN.refuse("An account with this email already exists.");
            }
            throw e;
        }
        return new UserAccount(id, orgId, normalized, role, "");
    }

    /**
     * Checks a sign-in. Unknown account and wrong password look the same to the caller (same
     * answer, same time). Repeated failures are slowed per account and per client address
     * ({@link LoginThrottle}); a browser that signed in to the account before is counted on its
     * own, so failures others caused never keep the owner out.
     *
     * @param deviceToken the device cookie the browser sent, if any
     */
    public LoginResult authenticate(String email, String password, String address, @Nullable String deviceToken) {
        if (email == null || password == null || email.isBlank() || password.length() > MAX_PASSWORD) {
            return new LoginResult.Failed();
        }
        UserAccount user = accounts.findByEmail(email);
        // asked for unknown accounts too, so the answer time does not depend on existence
        boolean knownDevice = deviceToken != null && devices.known(deviceToken, user == null ? NOBODY : user.id()) && user != null;
        String key = knownDevice ? LoginThrottle.deviceKey(Hashes.sha256(deviceToken)) : LoginThrottle.accountKey(email);
        String addressKey = LoginThrottle.addressKey(address);
        Duration wait = throttle.waitFor(key, addressKey);
        if (wait != null) {
            return new LoginResult.Throttled(wait);
        }
        boolean ok;
        if (user == null) {
            hasher.verifyDecoy(password);
            ok = false;
        } else {
            ok = hasher.verify(password, user.passwordHash());
        }
        if (!ok) {
            throttle.failedAccount(key);
            throttle.failedAddress(addressKey);
            return new LoginResult.Failed();
        }
        throttle.succeeded(key);
        return new LoginResult.Success(user, devices.remember(user.id()));
    }

    private static void validate(String email, String password) {
        if (email == null || !EMAIL.matcher(email.trim()).matches()) {
            throw AuthProblem.BAD_REQUEST.refuse("email: must be an email address");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw AuthProblem.BAD_REQUEST.refuse("password: must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
    }
}
