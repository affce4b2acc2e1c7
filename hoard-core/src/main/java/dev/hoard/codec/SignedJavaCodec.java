package dev.hoard.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Type;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Java serialization behind an HMAC-SHA256 signature and an {@link ObjectInputFilter} allow-list.
 * Layout: one version byte, 32 bytes of MAC over the rest, then the serialized stream.
 */
final class SignedJavaCodec implements Codec {

  private static final byte VERSION = 1;
  private static final int MAC_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final ObjectInputFilter filter;

  SignedJavaCodec(byte[] key, List<String> allowedClasses) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException(
          "signedJava needs a key of at least 32 bytes, got "
              + (key == null ? "none" : key.length + " bytes"));
    }
    if (allowedClasses == null || allowedClasses.isEmpty()) {
      throw new IllegalArgumentException(
          "signedJava needs an allow-list of classes, e.g. List.of(\"com.example.model.*\")");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.filter = ObjectInputFilter.Config.createFilter(
        "java.lang.*;java.util.*;java.time.*;java.math.*;" + String.join(";", allowedClasses)
            + ";!*");
  }

  @Override
  public String name() {
    return "signed-java";
  }

  @Override
  public byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(VERSION);
    bytes.writeBytes(new byte[MAC_LENGTH]);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "cannot serialize a " + value.getClass().getName() + ": " + e.getMessage()
              + " is not Serializable", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize a " + value.getClass().getName(), e);
    }
    byte[] encoded = bytes.toByteArray();
    byte[] mac = mac(encoded, 1 + MAC_LENGTH);
    System.arraycopy(mac, 0, encoded, 1, MAC_LENGTH);
    return encoded;
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    if (bytes.length < 1 + MAC_LENGTH || bytes[0] != VERSION) {
      throw new DecodingException("not a signed Java value (" + bytes.length + " bytes)", null);
    }
    byte[] expected = mac(bytes, 1 + MAC_LENGTH);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, 1, 1 + MAC_LENGTH))) {
      throw new DecodingException(
          "signature mismatch: the value was tampered with or signed with another key", null);
    }
    Class<?> raw = rawClass(type);
    ClassLoader loader = raw.getClassLoader() != null
        ? raw.getClassLoader()
        : Thread.currentThread().getContextClassLoader();
    InputStream in = new ByteArrayInputStream(bytes, 1 + MAC_LENGTH, bytes.length - 1 - MAC_LENGTH);
    try (ObjectInputStream objects = new LoaderObjectInputStream(in, loader)) {
      objects.setObjectInputFilter(filter);
      Object value = objects.readObject();
      if (!wrap(raw).isInstance(value)) {
        throw new DecodingException(
            "stored value is a " + value.getClass().getName() + ", not a " + raw.getName(), null);
      }
      return value;
    } catch (IOException | ClassNotFoundException e) {
      throw new DecodingException("cannot deserialize: " + e.getMessage(), e);
    }
  }

  private byte[] mac(byte[] bytes, int offset) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(bytes, offset, bytes.length - offset);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof java.lang.reflect.ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Class<?> wrap(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
  }

  /** Resolves classes with the caller's class loader (devtools-style reloading breaks otherwise). */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
