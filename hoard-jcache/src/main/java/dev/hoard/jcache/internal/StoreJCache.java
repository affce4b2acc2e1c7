package dev.hoard.jcache.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.codec.DecodingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JCache {@link Cache} over a Hoard {@link CacheStore}: every entry of the cache is one store
 * entry under the cache's key prefix.
 *
 * <p>Operations that read and then write one key (put with its event, replace, invoke…) hold a
 * lock for that key in this JVM, so they are atomic against every other operation made through
 * this cache manager. On a store shared by several processes they are not atomic across
 * processes: JCache's compare-and-set operations there behave like those of a near cache.
 */
public final class StoreJCache<K, V> implements Cache<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(StoreJCache.class);
  private static final int LOCK_STRIPES = 64;
  /**
   * How long the store keeps an entry after its JCache expiry, so that the cache still sees it
   * once and can tell expired listeners; after that it is gone without an event.
   */
  static final long EXPIRED_EVENT_WINDOW_MILLIS = 60_000;

  private final StoreCacheManager manager;
  private final String name;
  private final CacheStore store;
  /** Whether the store is this cache's alone (a memory store), rather than the manager's. */
  private final boolean ownsStore;
  private final KeyFormat keys;
  private final EntryEncoding encoding;
  private final MutableConfiguration<K, V> configuration;
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final ExpiryPolicy expiryPolicy;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<? super K, ? super V> writer;
  private final Executor events;
  private final Executor loads;
  private final JCacheStatistics statistics = new JCacheStatistics();
  private final List<ListenerRegistration<K, V>> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
  private volatile boolean statisticsEnabled;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  StoreJCache(StoreCacheManager manager, String name, Configuration<K, V> given, CacheStore store,
      boolean ownsStore, EntryEncoding encoding, KeyFormat keys, Executor events, Executor loads) {
    this.manager = manager;
    this.name = name;
    this.store = store;
    this.ownsStore = ownsStore;
    this.keys = keys;
    this.encoding = encoding;
    this.events = events;
    this.loads = loads;
    if (given instanceof CompleteConfiguration<K, V> complete) {
      this.configuration = new MutableConfiguration<>(complete);
    } else {
      this.configuration = new MutableConfiguration<K, V>()
          .setTypes(given.getKeyType(), given.getValueType())
          .setStoreByValue(given.isStoreByValue());
    }
    this.keyType = configuration.getKeyType();
    this.valueType = configuration.getValueType();
    this.expiryPolicy = configuration.getExpiryPolicyFactory().create();
    this.loader = configuration.getCacheLoaderFactory() == null
        ? null : configuration.getCacheLoaderFactory().create();
    this.writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
        ? configuration.getCacheWriterFactory().create() : null;
    for (CacheEntryListenerConfiguration<K, V> listener
        : configuration.getCacheEntryListenerConfigurations()) {
      listeners.add(new ListenerRegistration<>(listener));
    }
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    this.statisticsEnabled = configuration.isStatisticsEnabled();
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  @Override
  public V get(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    long start = statisticsEnabled ? System.nanoTime() : 0;
    String storeKey = keys.existingStoreKey(key);
    Object stored = storeKey == null ? null : store.get(storeKey);
    V value = stored != null && live(stored) ? readable(stored) : null;
    if (value != null) {
      touchOnAccess(key, stored);
      if (statisticsEnabled) {
        statistics.hits(1);
      }
    } else {
      Events<K, V> happened = new Events<>(this);
      value = missed(key, happened);
      if (statisticsEnabled) {
        statistics.misses(1);
      }
      dispatch(happened);
    }
    if (statisticsEnabled) {
      statistics.getTime(System.nanoTime() - start);
    }
    return value;
  }

  /** After a miss: drops the entry if it expired, then loads it when reading through. */
  private V missed(K key, Events<K, V> happened) {
    return withLock(key, storeKey -> {
      long now = now();
      Object stored = readLive(key, storeKey, now, happened);
      V current = stored == null ? null : readable(stored);
      if (current != null) {
        // Loaded or written by another thread since our look: still a miss for this call.
        return current;
      }
      V loaded = readsThrough() ? load(key) : null;
      if (loaded != null) {
        storeLoaded(key, storeKey, loaded, null, now, happened);
      } else {
        keys.forget(key);
      }
      return loaded;
    });
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> requested) {
    requireOpen();
    requireNoNulls(requested, "keys");
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Map<K, V> found = new HashMap<>();
    Set<K> missing = new LinkedHashSet<>();
    Events<K, V> happened = new Events<>(this);
    long now = now();
    for (K key : requested) {
      String storeKey = keys.existingStoreKey(key);
      Object stored = storeKey == null ? null : store.get(storeKey);
      if (stored != null && live(stored, now)) {
        found.put(key, value(stored));
        touchOnAccess(key, stored);
      } else {
        if (stored != null) {
          withLock(key, locked -> readLive(key, locked, now(), happened));
        }
        missing.add(key);
      }
    }
    if (statisticsEnabled) {
      statistics.hits(found.size());
      statistics.misses(missing.size());
    }
    if (!missing.isEmpty() && readsThrough()) {
      Map<K, V> loaded = loadAll(missing);
      for (Map.Entry<K, V> entry : loaded.entrySet()) {
        if (entry.getKey() == null || entry.getValue() == null) {
          continue;
        }
                runLocked(entry.getKey(), storeKey -> storeLoaded(entry.getKey(), storeKey, entry.getValue(), null,
            now(), happened));
        found.put(entry.getKey(), entry.getValue());
      }
    }
    if (statisticsEnabled) {
      statistics.getTime(System.nanoTime() - start);
    }
    dispatch(happened);
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    String storeKey = keys.existingStoreKey(key);
    Object stored = storeKey == null ? null : store.get(storeKey);
    return stored != null && live(stored);
  }

  @Override
  public void loadAll(Set<? extends K> requested, boolean replaceExistingValues,
      CompletionListener completion) {
    requireOpen();
    requireNoNulls(requested, "keys");
    if (loader == null) {
      if (completion != null) {
        completion.onCompletion();
      }
      return;
    }
    Set<K> wanted = new LinkedHashSet<>(requested);
    loads.execute(() -> {
      try {
        Set<K> toLoad = replaceExistingValues ? wanted
            : wanted.stream().filter(key -> !containsKey(key))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Events<K, V> happened = new Events<>(this);
        if (!toLoad.isEmpty()) {
          Map<K, V> loaded = loadAll(toLoad);
          for (Map.Entry<K, V> entry : loaded.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
              continue;
            }
                        runLocked(entry.getKey(), storeKey -> {
              long now = now();
              Object current = readLive(entry.getKey(), storeKey, now, happened);
              if (current == null || replaceExistingValues) {
                storeLoaded(entry.getKey(), storeKey, entry.getValue(), current, now, happened);
              }
            });
          }
        }
        dispatch(happened);
        if (completion != null) {
          completion.onCompletion();
        }
      } catch (Exception e) {
        if (completion != null) {
          completion.onException(e instanceof CacheLoaderException ? e
              : new CacheLoaderException("loading " + wanted.size() + " keys into cache " + name
                  + " failed", e));
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    checkKey(key);
    checkValue(value);
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        boolean stored = withLock(key, storeKey -> {
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      writeThrough(key, value);
      return write(key, storeKey, value, current, now, happened);
    });
    if (statisticsEnabled) {
      if (stored) {
        statistics.puts(1);
      }
      statistics.putTime(System.nanoTime() - start);
    }
    dispatch(happened);
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    checkKey(key);
    checkValue(value);
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
    Object[] previous = new Object[1];
    boolean stored = withLock(key, storeKey -> {
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      previous[0] = current == null ? null : value(current);
      writeThrough(key, value);
      return write(key, storeKey, value, current, now, happened);
    });
    if (statisticsEnabled) {
      if (previous[0] == null) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
      }
      if (stored) {
        statistics.puts(1);
      }
      long elapsed = System.nanoTime() - start;
      statistics.getTime(elapsed);
      statistics.putTime(elapsed);
    }
    dispatch(happened);
    @SuppressWarnings("unchecked")
    V old = (V) previous[0];
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    requireOpen();
    Objects.requireNonNull(entries, "entries");
    for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
      checkKey(entry.getKey());
      checkValue(entry.getValue());
    }
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Map<K, V> toStore = new HashMap<>(entries);
    RuntimeException writeFailure = null;
    if (writer != null) {
      Collection<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>();
      entries.forEach((key, value) -> unwritten.add(new CacheEntry<>(key, value)));
      try {
        // The writer takes supertypes of K and V, so entries of K and V suit it.
        @SuppressWarnings("unchecked")
        CacheWriter<K, V> exact = (CacheWriter<K, V>) writer;
        exact.writeAll(unwritten);
      } catch (Exception e) {
        writeFailure = writerFailure(e);
        // What the writer left in the collection was not written: keep it out of the cache too.
        for (Cache.Entry<? extends K, ? extends V> entry : unwritten) {
          toStore.remove(entry.getKey());
        }
      }
    }
    Events<K, V> happened = new Events<>(this);
    long puts = 0;
    for (Map.Entry<K, V> entry : toStore.entrySet()) {
            boolean stored = withLock(entry.getKey(), storeKey -> {
        long now = now();
        Object current = readLive(entry.getKey(), storeKey, now, happened);
        return write(entry.getKey(), storeKey, entry.getValue(), current, now, happened);
      });
      if (stored) {
        puts++;
      }
    }
    if (statisticsEnabled) {
      statistics.puts(puts);
      statistics.putTime(System.nanoTime() - start);
    }
    dispatch(happened);
    if (writeFailure != null) {
      throw writeFailure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    checkKey(key);
    checkValue(value);
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        int outcome = withLock(key, storeKey -> {
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      if (current != null) {
        return 0;
      }
      writeThrough(key, value);
      return write(key, storeKey, value, null, now, happened) ? 2 : 1;
    });
    if (statisticsEnabled) {
      if (outcome == 0) {
        statistics.hits(1);
      } else {
        statistics.misses(1);
      }
      if (outcome == 2) {
        statistics.puts(1);
        statistics.putTime(System.nanoTime() - start);
      }
    }
    dispatch(happened);
    return outcome != 0;
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        boolean removed = withLock(key, storeKey -> {
      Object current = readLive(key, storeKey, now(), happened);
      deleteThrough(key);
      return current != null && delete(key, storeKey, current, happened);
    });
    if (statisticsEnabled && removed) {
      statistics.removals(1);
      statistics.removeTime(System.nanoTime() - start);
    }
    dispatch(happened);
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(oldValue, "oldValue");
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        int outcome = withLock(key, storeKey -> {
      Object current = readLive(key, storeKey, now(), happened);
      if (current == null) {
        return 0;
      }
      if (!oldValue.equals(value(current))) {
        touchLocked(storeKey, current);
        return 1;
      }
      deleteThrough(key);
      delete(key, storeKey, current, happened);
      return 2;
    });
    if (statisticsEnabled) {
      if (outcome == 0) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
      }
      if (outcome == 2) {
        statistics.removals(1);
        statistics.removeTime(System.nanoTime() - start);
      }
    }
    dispatch(happened);
    return outcome == 2;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        V removed = withLock(key, storeKey -> {
      Object current = readLive(key, storeKey, now(), happened);
      deleteThrough(key);
      if (current == null) {
        return null;
      }
      V value = value(current);
      delete(key, storeKey, current, happened);
      return value;
    });
    if (statisticsEnabled) {
      long elapsed = System.nanoTime() - start;
      if (removed == null) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
        statistics.removals(1);
        statistics.removeTime(elapsed);
      }
      statistics.getTime(elapsed);
    }
    dispatch(happened);
    return removed;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    checkKey(key);
    Objects.requireNonNull(oldValue, "oldValue");
    checkValue(newValue);
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        int outcome = withLock(key, storeKey -> {
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      if (current == null) {
        return 0;
      }
      if (!oldValue.equals(value(current))) {
        touchLocked(storeKey, current);
        return 1;
      }
      writeThrough(key, newValue);
      write(key, storeKey, newValue, current, now, happened);
      return 2;
    });
    if (statisticsEnabled) {
      if (outcome == 0) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
      }
      if (outcome == 2) {
        statistics.puts(1);
        statistics.putTime(System.nanoTime() - start);
      }
    }
    dispatch(happened);
    return outcome == 2;
  }

  @Override
  public boolean replace(K key, V value) {
    return getAndReplace(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return getAndReplace(key, value, true);
  }

  private V getAndReplace(K key, V value, boolean timesGet) {
    requireOpen();
    checkKey(key);
    checkValue(value);
    long start = statisticsEnabled ? System.nanoTime() : 0;
    Events<K, V> happened = new Events<>(this);
        V previous = withLock(key, storeKey -> {
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      if (current == null) {
        return null;
      }
      V old = value(current);
      writeThrough(key, value);
      write(key, storeKey, value, current, now, happened);
      return old;
    });
    if (statisticsEnabled) {
      long elapsed = System.nanoTime() - start;
      if (previous == null) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
        statistics.puts(1);
        statistics.putTime(elapsed);
      }
      if (timesGet) {
        statistics.getTime(elapsed);
      }
    }
    dispatch(happened);
    return previous;
  }

  @Override
  public void removeAll(Set<? extends K> requested) {
    requireOpen();
    requireNoNulls(requested, "keys");
    removeAllOf(new LinkedHashSet<>(requested));
  }

  @Override
  public void removeAll() {
    requireOpen();
    removeAllOf(currentKeys());
  }

  private void removeAllOf(Set<K> toRemove) {
    long start = statisticsEnabled ? System.nanoTime() : 0;
    RuntimeException writeFailure = null;
    if (writer != null && !toRemove.isEmpty()) {
      Collection<Object> undeleted = new ArrayList<>(toRemove);
      try {
        writer.deleteAll(undeleted);
      } catch (Exception e) {
        writeFailure = writerFailure(e);
        toRemove.removeAll(undeleted);
      }
    }
    Events<K, V> happened = new Events<>(this);
    long removals = 0;
    for (K key : toRemove) {
            boolean removed = withLock(key, storeKey -> {
        Object current = readLive(key, storeKey, now(), happened);
        return current != null && delete(key, storeKey, current, happened);
      });
      if (removed) {
        removals++;
      }
    }
    if (statisticsEnabled) {
      statistics.removals(removals);
      statistics.removeTime(System.nanoTime() - start);
    }
    dispatch(happened);
    if (writeFailure != null) {
      throw writeFailure;
    }
  }

  @Override
  public void clear() {
    requireOpen();
    clearQuietly();
  }

  /** Removes every entry without events, writer or statistics: for {@code destroyCache}. */
  void clearQuietly() {
    if (ownsStore) {
      store.clear();
    } else {
      store.deleteMatching(prefixGlob());
    }
    keys.forgetAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(processor, "processor");
    Events<K, V> happened = new Events<>(this);
    T result = invokeOne(key, processor, arguments, happened);
    dispatch(happened);
    return result;
  }

  private <T> T invokeOne(K key, EntryProcessor<K, V, T> processor, Object[] arguments,
      Events<K, V> happened) {
        return withLock(key, storeKey -> {
      long start = statisticsEnabled ? System.nanoTime() : 0;
      long now = now();
      Object current = readLive(key, storeKey, now, happened);
      if (statisticsEnabled) {
        if (current == null) {
          statistics.misses(1);
        } else {
          statistics.hits(1);
        }
      }
      ProcessedEntry entry = new ProcessedEntry(key, current);
      T result;
      try {
        result = processor.process(entry, arguments);
      } catch (Exception e) {
        if (current == null) {
          keys.forget(key);
        }
        throw e instanceof EntryProcessorException processing
            ? processing : new EntryProcessorException(e);
      }
      entry.apply(storeKey, now, happened, start);
      return result;
    });
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> requested,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireOpen();
    requireNoNulls(requested, "keys");
    Objects.requireNonNull(processor, "processor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    Events<K, V> happened = new Events<>(this);
    for (K key : requested) {
      try {
        T result = invokeOne(key, processor, arguments, happened);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (Exception e) {
        EntryProcessorException failure = e instanceof EntryProcessorException processing
            ? processing : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    dispatch(happened);
    return results;
  }

  /** What {@code invoke} hands the processor; changes apply once the processor returns. */
  private final class ProcessedEntry implements MutableEntry<K, V> {

    private final K key;
    private final Object original;
    private V value;
    private Change change = Change.NONE;

    ProcessedEntry(K key, Object original) {
      this.key = key;
      this.original = original;
    }

    @Override
    public K getKey() {
      return key;
    }

    @Override
    public V getValue() {
      switch (change) {
        case CREATE, UPDATE, LOAD:
          return value;
        case REMOVE:
          return null;
        default:
          break;
      }
      if (original != null) {
        if (value == null) {
          value = value(original);
        }
        change = Change.ACCESS;
        return value;
      }
      if (readsThrough()) {
        V fetched = load(key);
        if (fetched != null) {
          value = fetched;
          change = Change.LOAD;
        }
        return fetched;
      }
      return null;
    }

    @Override
    public boolean exists() {
      return switch (change) {
        case CREATE, UPDATE, LOAD -> true;
        case REMOVE -> false;
        default -> original != null;
      };
    }

    @Override
    public void remove() {
      // Removing what this processor created leaves the cache as it was.
      change = change == Change.CREATE || change == Change.LOAD ? Change.NONE : Change.REMOVE;
      value = null;
    }

    @Override
    public void setValue(V newValue) {
      checkValue(newValue);
      value = newValue;
      change = original == null ? Change.CREATE : Change.UPDATE;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      if (type.isInstance(this)) {
        return type.cast(this);
      }
      throw new IllegalArgumentException("an entry cannot be unwrapped to " + type.getName());
    }

    void apply(String storeKey, long now, Events<K, V> happened, long start) {
      switch (change) {
        case NONE:
          if (original == null) {
            keys.forget(key);
          }
          break;
        case ACCESS:
          touchLocked(storeKey, original);
          break;
        case LOAD:
          storeLoaded(key, storeKey, value, null, now, happened);
          break;
        case CREATE, UPDATE:
          writeThrough(key, value);
          if (write(key, storeKey, value, original, now, happened) && statisticsEnabled) {
            statistics.puts(1);
            statistics.putTime(System.nanoTime() - start);
          }
          break;
        case REMOVE:
          deleteThrough(key);
          if (original != null) {
            delete(key, storeKey, original, happened);
            if (statisticsEnabled) {
              statistics.removals(1);
              statistics.removeTime(System.nanoTime() - start);
            }
          } else {
            keys.forget(key);
          }
          break;
        default:
          throw new IllegalStateException("unknown change " + change);
      }
    }
  }

  /** What an entry processor did to its entry, as it applies to the cache. */
  private enum Change { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  // ---------------------------------------------------------------------------------------------
  // Iteration

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    requireOpen();
    Iterator<K> keysLeft = currentKeys().iterator();
    return new Iterator<>() {
      private CacheEntry<K, V> next;
      private K lastKey;

      @Override
      public boolean hasNext() {
        while (next == null && keysLeft.hasNext()) {
          K key = keysLeft.next();
          Events<K, V> happened = new Events<>(StoreJCache.this);
          Object stored = withLock(key, storeKey -> readLive(key, storeKey, now(), happened));
          dispatch(happened);
          if (stored != null) {
            next = new CacheEntry<>(key, value(stored));
            touchOnAccess(key, stored);
          }
        }
        return next != null;
      }

      @Override
      public Cache.Entry<K, V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        CacheEntry<K, V> entry = next;
        next = null;
        lastKey = entry.getKey();
        if (statisticsEnabled) {
          statistics.hits(1);
        }
        return entry;
      }

      @Override
      public void remove() {
        if (lastKey == null) {
          throw new IllegalStateException("next() has not returned an entry to remove");
        }
        StoreJCache.this.remove(lastKey);
        lastKey = null;
      }
    };
  }

  /** The keys of every entry in this cache now, live or not. */
  @SuppressWarnings("unchecked")
  private Set<K> currentKeys() {
    try (Stream<String> storeKeys = store.keys(prefixGlob())) {
      return storeKeys.map(storeKey -> (K) keys.key(storeKey))
          .filter(Objects::nonNull)
          .collect(Collectors.toCollection(LinkedHashSet::new));
    }
  }

  private Glob prefixGlob() {
    return Glob.of(Glob.escape(keys.prefix()) + "*");
  }

  // ---------------------------------------------------------------------------------------------
  // Listeners, configuration, life cycle

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      configuration.addCacheEntryListenerConfiguration(listener);
    }
    listeners.add(new ListenerRegistration<>(listener));
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    requireOpen();
    Objects.requireNonNull(listener, "listener");
    synchronized (configuration) {
      configuration.removeCacheEntryListenerConfiguration(listener);
    }
    for (ListenerRegistration<K, V> registration : listeners) {
      if (registration.configuration.equals(listener)) {
        listeners.remove(registration);
        registration.close();
      }
    }
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
    synchronized (configuration) {
      if (type.isInstance(configuration)) {
        return type.cast(new MutableConfiguration<>(configuration));
      }
    }
    throw new IllegalArgumentException(
        "the configuration of cache " + name + " is a CompleteConfiguration, not a " + type);
  }

  /** The configured key type. */
  Class<K> keyType() {
    return configuration.getKeyType();
  }

  /** The configured value type. */
  Class<V> valueType() {
    return configuration.getValueType();
  }

  /** A copy of the configuration as it is now. */
  CompleteConfiguration<K, V> configuration() {
    synchronized (configuration) {
      return new MutableConfiguration<>(configuration);
    }
  }

  void enableStatistics(boolean enabled) {
    synchronized (configuration) {
      configuration.setStatisticsEnabled(enabled);
    }
    statisticsEnabled = enabled;
    if (enabled) {
      ManagementBeans.register(statistics, "CacheStatistics", manager.getURI().toString(), name);
    } else {
      ManagementBeans.unregister("CacheStatistics", manager.getURI().toString(), name);
    }
  }

  void enableManagement(boolean enabled) {
    synchronized (configuration) {
      configuration.setManagementEnabled(enabled);
    }
    if (enabled) {
      ManagementBeans.register(new JCacheConfigurationBean(this), "CacheConfiguration",
          manager.getURI().toString(), name);
    } else {
      ManagementBeans.unregister("CacheConfiguration", manager.getURI().toString(), name);
    }
  }

  /** Registers the MXBeans the configuration asks for. */
  void registerManagement() {
    if (configuration.isStatisticsEnabled()) {
      enableStatistics(true);
    }
    if (configuration.isManagementEnabled()) {
      enableManagement(true);
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    manager.release(this);
    ManagementBeans.unregister("CacheStatistics", manager.getURI().toString(), name);
    ManagementBeans.unregister("CacheConfiguration", manager.getURI().toString(), name);
    ListenerRegistration.closeQuietly(loader);
    ListenerRegistration.closeQuietly(writer);
    ListenerRegistration.closeQuietly(expiryPolicy);
    for (ListenerRegistration<K, V> registration : listeners) {
      registration.close();
    }
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("cache " + name + " cannot be unwrapped to "
        + type.getName() + "; it unwraps to " + getClass().getName() + " and "
        + CacheStore.class.getName());
  }

  @Override
  public String toString() {
    return "StoreJCache[" + name + " on " + store.description() + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Entries

  private long now() {
    return store.clock().millis();
  }

  private boolean live(Object stored, long now) {
    long expiresAt = encoding.expiresAt(stored);
    return expiresAt == CacheStore.NEVER || expiresAt > now;
  }

  /** As {@link #live(Object, long)}, reading the clock only for an entry that can expire. */
  private boolean live(Object stored) {
    long expiresAt = encoding.expiresAt(stored);
    return expiresAt == CacheStore.NEVER || expiresAt > now();
  }

  @SuppressWarnings("unchecked")
  private V value(Object stored) {
    return (V) encoding.value(stored);
  }

  /**
   * The value of a stored entry, or {@code null} when it cannot be decoded (written with another
   * signing key, or of a class outside the allow-list): for {@code get}, such an entry is a miss
   * and a warning, never an exception, and a read-through load replaces it.
   */
  private V readable(Object stored) {
    try {
      return value(stored);
    } catch (DecodingException e) {
      LOG.warn("cache {}: an entry cannot be decoded ({}); it counts as a miss", name,
          e.getMessage());
      return null;
    }
  }

  /**
   * The live stored entry at {@code storeKey}, or {@code null}; an expired one is deleted and
   * reported. The caller holds the key's lock.
   */
  private Object readLive(K key, String storeKey, long now, Events<K, V> happened) {
    Object stored = store.get(storeKey);
    if (stored == null) {
      return null;
    }
    if (live(stored, now)) {
      return stored;
    }
    store.delete(storeKey);
    keys.forget(key);
    if (happened.wanted()) {
      V old = value(stored);
      happened.add(EventType.EXPIRED, key, old, old);
    }
    return null;
  }

  /**
   * Stores {@code value} at {@code storeKey}, over {@code current} (the live entry there, or
   * {@code null}), with the expiry the policy gives a creation or an update. The caller holds the
   * key's lock. Returns whether the value was stored (a creation that expires at once is not).
   */
  private boolean write(K key, String storeKey, V value, Object current, long now,
      Events<K, V> happened) {
    if (current == null) {
      long expiresAt = expiryFor(creationDuration(), now, CacheStore.NEVER);
      if (expiresAt != CacheStore.NEVER && expiresAt <= now) {
        return false;
      }
      store.put(storeKey, encoding.encode(value, expiresAt), storeExpiry(expiresAt));
      happened.add(EventType.CREATED, key, value, null);
      return true;
    }
    long expiresAt = expiryFor(durationOrNull(Kind.UPDATE), now, encoding.expiresAt(current));
    store.put(storeKey, encoding.encode(value, expiresAt), storeExpiry(expiresAt));
    if (happened.wanted()) {
      happened.add(EventType.UPDATED, key, value, value(current));
    }
    return true;
  }

  /** Stores a value the loader gave, without writing it through. */
  private void storeLoaded(K key, String storeKey, V value, Object current, long now,
      Events<K, V> happened) {
    write(key, storeKey, value, current, now, happened);
  }

  private boolean delete(K key, String storeKey, Object current, Events<K, V> happened) {
    store.delete(storeKey);
    keys.forget(key);
    if (happened.wanted()) {
      V old = value(current);
      happened.add(EventType.REMOVED, key, old, old);
    }
    return true;
  }

  /** Applies the policy's expiry for an access, if it gives one, without holding the lock yet. */
  private void touchOnAccess(K key, Object stored) {
    Duration duration = durationOrNull(Kind.ACCESS);
    if (duration != null) {
      withLock(key, storeKey -> retime(storeKey, stored, duration));
    }
  }

  /** Applies the policy's expiry for an access; the caller holds the key's lock. */
  private void touchLocked(String storeKey, Object stored) {
    Duration duration = durationOrNull(Kind.ACCESS);
    if (duration != null) {
      retime(storeKey, stored, duration);
    }
  }

  private Object retime(String storeKey, Object stored, Duration duration) {
    long now = now();
    Object current = store.get(storeKey);
    // Only the entry that was read: if it changed since, its writer already set its expiry.
    if (current != null && sameEntry(current, stored)) {
      long expiresAt = expiryFor(duration, now, encoding.expiresAt(current));
      store.put(storeKey, encoding.withExpiry(current, expiresAt), storeExpiry(expiresAt));
    }
    return null;
  }

  private static boolean sameEntry(Object a, Object b) {
    return a == b || (a instanceof byte[] x && b instanceof byte[] y && java.util.Arrays.equals(x, y));
  }

  private enum Kind { UPDATE, ACCESS }

  private Duration creationDuration() {
    try {
      Duration duration = expiryPolicy.getExpiryForCreation();
      return duration == null ? Duration.ETERNAL : duration;
    } catch (RuntimeException e) {
      LOG.warn("expiry policy of cache {} failed for a creation; the entry never expires", name, e);
      return Duration.ETERNAL;
    }
  }

  /** The policy's duration for an update or access, or {@code null} to leave the expiry. */
  private Duration durationOrNull(Kind kind) {
    try {
      return kind == Kind.UPDATE
          ? expiryPolicy.getExpiryForUpdate()
          : expiryPolicy.getExpiryForAccess();
    } catch (RuntimeException e) {
      LOG.warn("expiry policy of cache {} failed; the entry keeps its expiry", name, e);
      return null;
    }
  }

  private static long expiryFor(Duration duration, long now, long unchanged) {
    if (duration == null) {
      return unchanged;
    }
    if (duration.isEternal()) {
      return CacheStore.NEVER;
    }
    if (duration.isZero()) {
      return now;
    }
    long expiresAt = duration.getAdjustedTime(now);
    return expiresAt == Long.MAX_VALUE ? CacheStore.NEVER : expiresAt;
  }

  /** When the store may drop the entry: a while after its JCache expiry (see the window). */
  private static long storeExpiry(long expiresAt) {
    if (expiresAt == CacheStore.NEVER || expiresAt > CacheStore.NEVER - EXPIRED_EVENT_WINDOW_MILLIS) {
      return CacheStore.NEVER;
    }
    return expiresAt + EXPIRED_EVENT_WINDOW_MILLIS;
  }

  // ---------------------------------------------------------------------------------------------
  // Loader and writer

  private boolean readsThrough() {
    return configuration.isReadThrough() && loader != null;
  }

  private V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("loading key " + key + " into cache " + name + " failed", e);
    }
  }

  private Map<K, V> loadAll(Set<K> wanted) {
    try {
      Map<K, V> loaded = loader.loadAll(wanted);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException(
          "loading " + wanted.size() + " keys into cache " + name + " failed", e);
    }
  }

  private void writeThrough(K key, V value) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(new CacheEntry<>(key, value));
    } catch (Exception e) {
      throw writerFailure(e);
    }
  }

  private void deleteThrough(K key) {
    if (writer == null) {
      return;
    }
    try {
      writer.delete(key);
    } catch (Exception e) {
      throw writerFailure(e);
    }
  }

  private RuntimeException writerFailure(Exception e) {
    return e instanceof CacheWriterException writing ? writing
        : new CacheWriterException("the writer of cache " + name + " failed", e);
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  /** The events one operation caused, delivered once it has finished and released its locks. */
  static final class Events<K, V> {
    private final StoreJCache<K, V> cache;
    private final boolean wanted;
    private List<JCacheEvent<K, V>> list;

    Events(StoreJCache<K, V> cache) {
      this.cache = cache;
      this.wanted = !cache.listeners.isEmpty();
    }

    boolean wanted() {
      return wanted;
    }

    void add(EventType type, K key, V value, V oldValue) {
      if (!wanted) {
        return;
      }
      if (list == null) {
        list = new ArrayList<>(2);
      }
      boolean hasOld = type != EventType.CREATED;
      list.add(new JCacheEvent<>(cache, type, key, value, oldValue, hasOld));
    }
  }

  private void dispatch(Events<K, V> happened) {
    if (happened.list == null) {
      return;
    }
    RuntimeException failure = null;
    for (ListenerRegistration<K, V> registration : listeners) {
      for (JCacheEvent<K, V> event : happened.list) {
        if (!registration.listensTo(event.getEventType())) {
          continue;
        }
        if (registration.synchronous()) {
          try {
            registration.deliver(event);
          } catch (RuntimeException e) {
            if (failure == null) {
              failure = e instanceof CacheEntryListenerException ? e
                  : new CacheEntryListenerException(e);
            }
          }
        } else {
          events.execute(() -> {
            try {
              registration.deliver(event);
            } catch (RuntimeException e) {
              LOG.warn("asynchronous listener of cache {} failed on {}", name, event, e);
            }
          });
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checks and locks

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  private void checkKey(K key) {
    Objects.requireNonNull(key, "key");
    if (!keyType.isInstance(key)) {
      throw new ClassCastException("cache " + name + " holds keys of type " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
  }

  private void checkValue(V value) {
    Objects.requireNonNull(value, "value");
    if (!valueType.isInstance(value)) {
      throw new ClassCastException("cache " + name + " holds values of type "
          + valueType.getName() + ", not " + value.getClass().getName());
    }
  }

  private static void requireNoNulls(Set<?> keys, String what) {
    Objects.requireNonNull(keys, what);
    for (Object key : keys) {
      Objects.requireNonNull(key, "a key in " + what);
    }
  }

  /** Work done while holding a key's lock, given the key's store key. */
  private interface Locked<T> {
    T run(String storeKey);
  }

  /**
   * Runs {@code work} holding the lock of {@code key}. The store key is found under the lock,
   * since a by-reference key's store key is made and forgotten under it (see {@link KeyFormat}).
   */
  private <T> T withLock(Object key, Locked<T> work) {
    int hash = key.hashCode();
    ReentrantLock lock = locks[(hash ^ (hash >>> 16)) & (LOCK_STRIPES - 1)];
    lock.lock();
    try {
      return work.run(keys.storeKey(key));
    } finally {
      lock.unlock();
    }
  }

  private void runLocked(Object key, Consumer<String> work) {
    withLock(key, storeKey -> {
      work.accept(storeKey);
      return null;
    });
  }
}
