package org.arbor.probe;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.arbor.config.ConfigNode;

/** The probes a sweep can name, built from their YAML settings. */
public final class Probes {
  private static final Map<String, Function<ConfigNode, Probe>> FACTORIES = new java.util.concurrent.ConcurrentHashMap<>();

  static {
    register(org.arbor.probe.fv.FunctionVectorProbe.NAME, org.arbor.probe.fv.FunctionVectorProbe::new);
    register(org.arbor.probe.hydra.HydraProbe.NAME, org.arbor.probe.hydra.HydraProbe::new);
    register("induction", org.arbor.probe.induction.InductionProbe::new);
    register("structure", org.arbor.probe.structure.StructureProbe::new);
    register("geometry", org.arbor.probe.geometry.GeometryProbe::new);
  }

  private Probes() {}

  /** Adds a probe (a user's own, or a test's); a name can be registered once. */
  public static synchronized void register(String name, Function<ConfigNode, Probe> factory) {
    if (FACTORIES.putIfAbsent(name, factory) != null && FACTORIES.get(name) != factory) {
      throw new IllegalArgumentException("probe '" + name + "' is already registered");
    }
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }

  /** Builds a probe; unknown names and bad settings are ConfigExceptions naming the file and key. */
  public static Probe create(String name, ConfigNode settings) {
    Function<ConfigNode, Probe> f = FACTORIES.get(name);
    if (f == null) {
      throw new org.arbor.config.ConfigException(settings.file(), settings.path(),
          "unknown probe '" + name + "' (known: " + String.join(", ", FACTORIES.keySet()) + ")");
    }
    return f.apply(settings);
  }
}
