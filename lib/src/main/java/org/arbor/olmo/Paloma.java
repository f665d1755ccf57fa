package org.arbor.olmo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A local copy of Paloma (Magnusson et al., 2023; allenai/paloma), the evaluation text of the OLMo
 * papers, in its published layout: {@code <root>/<subset>/<split>/*.jsonl[.gz]} with split val or
 * test and one JSON object per line whose "text" field is a document. Subsets, files and lines are
 * read in name order, so the document sequence is fixed.
 */
public final class Paloma {
  public static final List<String> SPLITS = List.of("val", "test");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  public Paloma(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a directory (a Paloma root holds <subset>/val and <subset>/test)");
    }
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The subsets present: directories holding a val or test directory, by name. */
  public List<String> subsets() throws IOException {
    List<String> out = new ArrayList<>();
    try (var list = Files.list(root)) {
      for (Path p : list.sorted().toList()) {
        if (Files.isDirectory(p.resolve("val")) || Files.isDirectory(p.resolve("test"))) {
          out.add(p.getFileName().toString());
        }
      }
    }
    return out;
  }

  /** The jsonl and jsonl.gz files of a subset's split, by name; errors name the missing directory. */
  public List<Path> files(String subset, String split) throws IOException {
    if (!SPLITS.contains(split)) {
      throw new IllegalArgumentException("Paloma split '" + split + "': expected val or test");
    }
    Path dir = root.resolve(subset).resolve(split);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": missing (no subset '" + subset + "' with a " + split + " split)");
    }
    try (var list = Files.list(dir)) {
      List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(".jsonl")
          || p.getFileName().toString().endsWith(".jsonl.gz")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException(dir + ": no .jsonl or .jsonl.gz files");
      }
      return files;
    }
  }

  /**
   * Hands each document's text of a subset's split to action, in order; at most maxDocuments
   * (0: all). Errors name the file and the line.
   */
  public void forEachText(String subset, String split, int maxDocuments, Consumer<String> action) throws IOException {
    int seen = 0;
    for (Path f : files(subset, split)) {
      try (InputStream raw = Files.newInputStream(f);
          InputStream in = f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          if (maxDocuments > 0 && seen >= maxDocuments) {
            return;
          }
          JsonNode doc;
          try {
            doc = JSON.readTree(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(f + ": line " + n + ": not valid JSON: " + e.getOriginalMessage());
          }
          if (!doc.path("text").isTextual()) {
            throw new IllegalArgumentException(f + ": line " + n + ": key 'text': missing or not a string");
          }
          action.accept(doc.get("text").asText());
          seen++;
        }
      }
    }
  }
}
