package io.tensd.cli;

import io.tensd.config.ConfigError;
import io.tensd.config.ConfigException;
import io.tensd.telemetry.Fleet;
import io.tensd.telemetry.FleetAcl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tensd acl --devices FLEET}: the clinic broker's mosquitto ACL, generated from the fleet list. */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = {"Generate the mosquitto ACL (acl_file) for the clinic broker from a fleet list: each device may write "
                + "only under its own site and id, clinicians only their sites' cmd topics, monitors read only.",
                "Fleet file errors go to standard error as FILE:LINE: path: message, exit code 2."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ACL written", "1:the output file cannot be written", "2:an error in the fleet file, or wrong options"})
public final class AclCommand implements Callable<Integer> {
    @Option(names = "--devices", paramLabel = "FLEET", required = true,
            description = "fleet list (YAML: sites with device ids, clinicians/monitors/hosts with their sites); "
                    + "example config/mosquitto/fleet.yaml")
    Path devices;

    @Option(names = "--out", paramLabel = "FILE", description = "write the ACL here (default: standard output)")
    Path outFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Fleet fleet;
        try {
            fleet = Fleet.load(devices);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) err.println(error);
            err.flush();
            return 2;
        }
        String acl = FleetAcl.render(fleet, devices.getFileName().toString());
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(acl);
            out.flush();
            return 0;
        }
        try {
            Files.writeString(outFile, acl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(outFile + ": cannot write: " + e.getMessage());
            err.flush();
            return 1;
        }
        return 0;
    }
}
