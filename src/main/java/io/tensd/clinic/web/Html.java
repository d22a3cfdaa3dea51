package io.tensd.clinic.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The dashboard's pages: jte templates (src/main/jte, compiled to Java at build time into this package) rendered to a
 * string. Every {@code ${value}} of a template goes through {@link #esc}, in text and in attributes alike.
 */
final class Html {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, "io.tensd.clinic.web");

    private Html() { }

    static String esc(Object o) {
        if (o == null) return "";
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Template {@code name} (e.g. "live.jte") with its parameters, as HTML. */
    static String render(String name, Map<String, Object> params) {
        StringOutput out = new StringOutput(4096);
        ENGINE.render(name, params, new Escaping(out));
        return out.toString();
    }

    /** jte's HTML output with {@link #esc} for every value: quotes are escaped in text too, not only in attributes. */
    private static final class Escaping extends OwaspHtmlTemplateOutput {
        private final StringOutput out;

        Escaping(StringOutput out) {
            super(out);
            this.out = out;
        }

        @Override
        public void writeUserContent(String value) {
            if (value != null) out.writeContent(esc(value));
        }
    }
}
