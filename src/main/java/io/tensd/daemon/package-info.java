/**
 * The device daemon behind {@code tensd run}: starts the journal, the hardware (outputs safe), the control
 * loop, the session recorder and MQTT in that order, tells systemd it is ready and pets its watchdog only
 * while the loop ticks, and on SIGTERM ends a running session, makes the outputs safe and stops everything in
 * reverse order. {@link io.tensd.daemon.Daemon} is the whole lifecycle; the hardware behind it is
 * {@link io.tensd.daemon.PiHardware} (the device) or {@link io.tensd.daemon.SimHardware} (test/demo only).
 */
package io.tensd.daemon;
