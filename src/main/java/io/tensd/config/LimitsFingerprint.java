package io.tensd.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of the limits in force, for the MQTT birth message and the journal: the clinic can see which limits
 * a device runs with and notice any change. It is taken over a canonical text of the values, not over the
 * file's bytes, so comments, key order, {@code 80} vs {@code 80.0} and omitted defaults do not change it,
 * while any change of any value does.
 *
 * <p>Canonical text: the line {@code tensd-limits/1}, then one line {@code name=value} per {@link Limits}
 * component in declaration order, each line ending in {@code \n}; numbers as the shortest plain decimal
 * ({@code 80}, {@code 0.5}, never an exponent). A component added to Limits is included automatically.
 */
public final class LimitsFingerprint {
    public static final String FORMAT = "tensd-limits/1";

    private LimitsFingerprint() { }

    /** 64 lower-case hex digits. */
    public static String of(Limits limits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical(limits).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public static String canonical(Limits limits) {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        for (RecordComponent c : Limits.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(limits);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read Limits." + c.getName(), e);
            }
            String text = v instanceof Double d ? Fields.plain(d) : String.valueOf(v);
            sb.append(c.getName()).append('=').append(text).append('\n');
        }
        return sb.toString();
    }
}
