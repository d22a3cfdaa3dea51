package io.tensd.clinic.web;

/** Server-side HTML: every value from a device, the database or a request goes through {@link #esc}. */
final class Html {
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

    /** A whole page; {@code body} is already escaped HTML. No external resources: it works offline. */
    static String page(String title, String user, String csrf, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append(" – tensd clinic</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body><header><a href=\"/\">tensd clinic</a>");
        if (user != null) {
            b.append("<span class=\"who\">").append(esc(user)).append("</span><form method=\"post\" action=\"/logout\" class=\"inline\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(esc(csrf)).append("\"><button>log out</button></form>");
        }
        b.append("</header><main>").append(body).append("</main></body></html>");
        return b.toString();
    }
}
