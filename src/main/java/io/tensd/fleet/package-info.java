/**
 * {@code tensd fleet}: many simulated devices in one JVM, each a full device stack (controller in virtual
 * time, its own journal, its own MQTT service and client id), to load a broker and the clinic side as a
 * fleet would, and to measure what one device costs. Measurement beside the product: nothing here is used
 * by the daemon.
 */
package io.tensd.fleet;
