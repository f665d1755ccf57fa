package org.arbor.jobs.corpus;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;

/** A growable little-endian byte buffer that Parquet pages are encoded into; reused across pages. */
final class ByteSink {
  private byte[] bytes = new byte[1 << 12];
  private int size;

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void put(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  void putInt(int v) {
    ensure(4);
    bytes[size] = (byte) v;
    bytes[size + 1] = (byte) (v >>> 8);
    bytes[size + 2] = (byte) (v >>> 16);
    bytes[size + 3] = (byte) (v >>> 24);
    size += 4;
  }

  void putLong(long v) {
    putInt((int) v);
    putInt((int) (v >>> 32));
  }

  /** Overwrites 4 bytes at an earlier position (a length prefix written after its content). */
  void setInt(int at, int v) {
    bytes[at] = (byte) v;
    bytes[at + 1] = (byte) (v >>> 8);
    bytes[at + 2] = (byte) (v >>> 16);
    bytes[at + 3] = (byte) (v >>> 24);
  }

  /** ULEB128, the varint of Parquet's run headers. */
  void putVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  void putBytes(byte[] b) {
    putBytes(b, b.length);
  }

  /** Appends another sink's content. */
  void putBytes(ByteSink other) {
    putBytes(other.bytes, other.size);
  }

  private void putBytes(byte[] b, int n) {
    ensure(n);
    System.arraycopy(b, 0, bytes, size, n);
    size += n;
  }

  /** Room for n more bytes; the caller writes them into {@link #array()} from {@link #size()} on and calls {@link #advance}. */
  void reserve(int n) {
    ensure(n);
  }

  /** Drops everything after the first size bytes. */
  void truncate(int size) {
    this.size = size;
  }

  void advance(int n) {
    size += n;
  }

  /** A copy of the content (pages outlive the reused buffer). */
  BytesInput copy() {
    return BytesInput.from(Arrays.copyOf(bytes, size));
  }
}
