package io.storeman.architecture.cycle.b;

import io.storeman.architecture.cycle.a.CycleStart;

/** The other half of the deliberate package cycle of ArchitectureTest. */
public class CycleEnd {

    public CycleStart back() {
        return new CycleStart();
    }
}
