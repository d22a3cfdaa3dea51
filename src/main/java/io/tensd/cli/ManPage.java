package io.tensd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * tensd(1) in troff (man macros), generated from the picocli model of {@link Main}, so the man page lists
 * exactly the commands and options {@code --help} shows. The Debian package build runs
 * {@code ManPage target/man/tensd.1} and installs it gzipped as /usr/share/man/man1/tensd.1.gz.
 */
public final class ManPage {
    private ManPage() { }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/man/tensd.1");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, render(Main.commandLine()), StandardCharsets.UTF_8);
    }

    public static String render(CommandLine root) {
        CommandSpec spec = root.getCommandSpec();
        StringBuilder m = new StringBuilder();
        m.append(".TH TENSD 1 \"\" \"tensd\" \"User Commands\"\n");
        m.append(".SH NAME\n").append("tensd \\- ").append(esc(String.join(" ", spec.usageMessage().description()))).append('\n');
        m.append(".SH SYNOPSIS\n.B tensd\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
        m.append(".SH DESCRIPTION\n").append(esc(String.join(" ", spec.usageMessage().description())))
                .append("\nEvery command has \\fB\\-\\-help\\fR. Configuration: /etc/tensd/tensd.yaml and /etc/tensd/limits.yaml;")
                .append(" the guide is /usr/share/doc/tensd/deployment.md.\n");
        options(m, spec);
        m.append(".SH COMMANDS\n");
        for (var e : root.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden() || e.getKey().equals("help")) {
                continue;
            }
            m.append(".SS \"tensd ").append(esc(e.getKey()));
            for (PositionalParamSpec p : sub.positionalParameters()) {
                m.append(' ').append(esc(p.paramLabel()));
            }
            m.append("\"\n").append(esc(String.join(" ", sub.usageMessage().description()))).append('\n');
            options(m, sub);
            for (var s : e.getValue().getSubcommands().entrySet()) {
                if (!s.getKey().equals("help")) {
                    m.append(".TP\n.B ").append(esc(e.getKey() + " " + s.getKey())).append('\n')
                            .append(esc(String.join(" ", s.getValue().getCommandSpec().usageMessage().description()))).append('\n');
                }
            }
        }
        m.append(".SH EXIT STATUS\n0 success; 1 failure; 2 bad configuration or usage; 3 hardware missing at start;")
                .append(" 4 journal storage (tensd run \\-\\-help lists them).\n");
        m.append(".SH FILES\n.TP\n/etc/tensd/tensd.yaml, /etc/tensd/limits.yaml\nconfiguration (docs/configuration.md)\n")
                .append(".TP\n/var/lib/tensd\njournal and session records\n.TP\n/lib/systemd/system/tensd.service\nthe service\n");
        m.append(".SH SEE ALSO\n/usr/share/doc/tensd/deployment.md, /usr/share/doc/tensd/configuration.md\n");
        return m.toString();
    }

    private static void options(StringBuilder m, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            m.append(".TP\n\\fB").append(esc(String.join(", ", List.of(o.names())))).append("\\fR");
            if (o.arity().max() > 0) {
                m.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
            }
            m.append('\n').append(esc(String.join(" ", o.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))
                    .replace("${COMPLETION-CANDIDATES}", ""))).append('\n');
        }
    }

    /** troff: backslashes and hyphens escaped, no line may start with a dot or quote. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
