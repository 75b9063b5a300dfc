// The per-backend least-recently-used caches (compiled plans of stored
// workflows, of thaiyyal_execute payloads, prepared statements of SQL nodes)
// share this one implementation. Pure C++: a backend has one thread.
//
// Entries live in a list (most recently used first) whose nodes never move,
// so the index can key them by a view into the entry's own key: a lookup by
// a 1 MB payload copies nothing. Every entry keeps its key's hash: a key is
// hashed once when it is looked up (a miss followed by its insert passes the
// hash on), never again for the index's rehashing or for its eviction. Eviction may skip entries a
// policy says are in use (a prepared statement executing a nested run) and tells the policy about
// each entry it drops (to free what PostgreSQL allocated for it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace thaiyyal::pg {

// How a key is looked up: by itself, or (strings) by a view of it.
template <class Key>
struct LruKeyView {
  using type = Key;
  static const Key& of(const Key& key) { return key; }
};
template <>
struct LruKeyView<std::string> {
  using type = std::string_view;
  static std::string_view of(const std::string& key) { return key; }
};

// Keeps every entry and needs nothing on eviction.
struct LruNoPolicy {
  template <class Value>
  static bool in_use(const Value&) {
    return false;
  }
  template <class Value>
  static void evicted(Value&) {}
};

template <class Key, class Value, class Hash = std::hash<typename LruKeyView<Key>::type>,
          class Policy = LruNoPolicy>
class LruCache {
 public:
  using View = typename LruKeyView<Key>::type;

  static std::size_t hash_of(const View& key) { return Hash{}(key); }

  // The entry's value, now the most recently used, or nullptr; counted as a
  // hit or a miss. `*hash` (when given) receives hash_of(key), for an
  // insert after a miss. The most recently used entry is compared first,
  // unhashed: a backend that runs one payload again and again finds it
  // without hashing the key.
  Value* find(const View& key, std::size_t* hash = nullptr) {
    if (!entries_.empty() && LruKeyView<Key>::of(entries_.front().key) == key) {
      ++hits_;
      if (hash != nullptr) *hash = entries_.front().hash;
      return &entries_.front().value;
    }
    const std::size_t h = hash_of(key);
    if (hash != nullptr) *hash = h;
    auto it = index_.find(Ref{key, h});
    if (it == index_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->value;
  }

  // Inserts (or replaces) the value of `key` as the most recently used,
  // keeping at most `capacity` entries (0: stores nothing, returns nullptr).
  Value* insert(Key key, Value value, std::size_t capacity) {
    const std::size_t hash = hash_of(LruKeyView<Key>::of(key));
    return insert(std::move(key), hash, std::move(value), capacity);
  }
  // The same with the key's hash_of() already computed.
  Value* insert(Key key, std::size_t hash, Value value, std::size_t capacity) {
    if (auto it = index_.find(Ref{LruKeyView<Key>::of(key), hash}); it != index_.end()) {
      it->second->value = std::move(value);
      entries_.splice(entries_.begin(), entries_, it->second);
      evict_to(capacity);
      return capacity == 0 ? nullptr : &it->second->value;
    }
    if (capacity == 0) {
      evict_to(0);
      return nullptr;
    }
    evict_to(capacity - 1);
    entries_.push_front(Node{std::move(key), hash, std::move(value)});
    index_.emplace(Ref{LruKeyView<Key>::of(entries_.front().key), hash}, entries_.begin());
    return &entries_.front().value;
  }

  // Drops least recently used entries that are not in use until at most
  // `size` remain (or only entries in use are left).
  void evict_to(std::size_t size) {
    auto it = entries_.end();
    while (entries_.size() > size && it != entries_.begin()) {
      --it;
      if (Policy::in_use(it->value)) continue;
      // Out of the cache first: what `evicted` does may fail.
      Value dropped = std::move(it->value);
      index_.erase(Ref{LruKeyView<Key>::of(it->key), it->hash});
      it = entries_.erase(it);
      Policy::evicted(dropped);
    }
  }

  std::size_t size() const { return entries_.size(); }
  std::int64_t hits() const { return hits_; }
  std::int64_t misses() const { return misses_; }

 private:
  struct Node {
    Key key;
    std::size_t hash;  // hash_of(key)
    Value value;
  };
  // The index's key: a view of an entry's key with its hash.
  struct Ref {
    View view;
    std::size_t hash;
    bool operator==(const Ref& other) const { return hash == other.hash && view == other.view; }
  };
  struct RefHash {
    std::size_t operator()(const Ref& ref) const noexcept { return ref.hash; }
  };
  std::list<Node> entries_;  // most recently used first
  std::unordered_map<Ref, typename std::list<Node>::iterator, RefHash> index_;
  std::int64_t hits_ = 0;
  std::int64_t misses_ = 0;
};

}  // namespace thaiyyal::pg
