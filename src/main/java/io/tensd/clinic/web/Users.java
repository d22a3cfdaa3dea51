package io.tensd.clinic.web;

import io.tensd.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The dashboard's users file: one user a line, {@code name role bcrypt-hash} ({@code role} is {@code clinician}
 * or {@code viewer}), {@code #} starts a comment. Only BCrypt hashes are stored, never passwords
 * ({@code tensd clinic hash-password} or {@code htpasswd -nbBC 12 name pw}).
 */
public final class Users {
    public record User(String name, Role role, String hash) { }

    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(12);
    /** Checked for unknown names too, so a wrong name costs the same time as a wrong password. */
    private static final String DUMMY = BCRYPT.encode("no such user");

    private final Map<String, User> users;

    public Users(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    public static Users load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Map<String, User> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            String where = file + ":" + (i + 1) + ": ";
            if (f.length != 3) throw bad(where + "users: expected 'name role bcrypt-hash', got " + f.length + " fields");
            if (!f[0].matches("[A-Za-z0-9_.@-]{1,64}")) throw bad(where + "users: bad name '" + f[0] + "'");
            Role role;
            try {
                role = Role.valueOf(f[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(where + "users." + f[0] + ": role '" + f[1] + "' is not clinician or viewer");
            }
            String hash = f[2].startsWith("$2y$") ? "$2a$" + f[2].substring(4) : f[2];
            if (!hash.matches("\\$2[abx]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw bad(where + "users." + f[0] + ": not a BCrypt hash");
            }
            if (m.put(f[0], new User(f[0], role, hash)) != null) throw bad(where + "users: " + f[0] + " twice");
        }
        return new Users(m);
    }

    private static UserError bad(String message) {
        return new UserError(message, null, 2, null);
    }

    public static String hash(String password) {
        return BCRYPT.encode(password);
    }

    /** The user when the password matches; the same BCrypt cost is paid whether or not the name exists. */
    public Optional<User> check(String name, String password) {
        if (name == null || password == null) return Optional.empty();
        User u = users.get(name);
        boolean ok = BCRYPT.matches(password, u == null ? DUMMY : u.hash());
        return ok && u != null ? Optional.of(u) : Optional.empty();
    }
}
