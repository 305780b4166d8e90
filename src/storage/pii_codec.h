// The one place where personal identifiers (ID numbers, phone numbers) pass between clear text
// and what the store keeps: a libsodium secretbox (XSalsa20-Poly1305, random nonce) for the
// value, and a keyed BLAKE2b hash for exact look-up and uniqueness. Both keys are derived from
// one 32-byte master key kept in a file beside the database, never inside it.
// Thread-safe: immutable after construction.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace jobaid::storage {

class PiiCodec {
 public:
  // Reads the master key from `path`; if the file does not exist and `create` is set, makes a
  // new random key there with mode 0600. DataLoss if the file is not a key.
  static absl::StatusOr<PiiCodec> FromKeyFile(const std::string& path, bool create);
  // A codec with a key derived from `seed`: for tests, and for opening a store through which no
  // personal data passes (migrations, counts).
  static PiiCodec FromSeed(absl::string_view seed);

  // nonce || ciphertext of `clear`.
  std::string Seal(absl::string_view clear) const;
  // DataLoss if `sealed` was not made by this key.
  absl::StatusOr<std::string> Open(absl::string_view sealed) const;
  // 16 bytes that identify `clear` under this key.
  std::string Hash(absl::string_view clear) const;

 private:
  PiiCodec() = default;
  void Derive(const unsigned char* master);
  unsigned char seal_key_[32];
  unsigned char hash_key_[32];
  // Nonces are a random prefix fixed per codec and a counter: unique without a system call per
  // value (XSalsa20's 192-bit nonce leaves room for both).
  unsigned char nonce_prefix_[16];
  std::shared_ptr<std::atomic<uint64_t>> nonce_counter_ =
      std::make_shared<std::atomic<uint64_t>>(0);
};

// Sealed forms and hashes of values that a bulk writer will write soon, made ahead of time on
// another thread (sealing is the costliest part of writing a person). Bounded: the oldest
// entries make room for new ones. Thread-safe.
class SealCache {
 public:
  explicit SealCache(size_t capacity = 1 << 16) : capacity_(capacity) {}
  // Seals and hashes `values` with `codec` (outside the lock) and keeps the results.
  void Put(const PiiCodec& codec, const std::vector<std::string>& values);
  // The prepared forms of `clear`, if any.
  bool Get(const std::string& clear, std::string* sealed, std::string* hash);
  void Clear();

 private:
  struct Entry {
    std::string sealed, hash;
  };
  const size_t capacity_;
  std::atomic<bool> empty_{true};
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> map_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::storage
