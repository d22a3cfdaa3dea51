package io.tensd.cli;

public final class Main {
    public static void main(String[] args) {
    }
}
