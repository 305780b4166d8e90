// The one place where personal identifiers (ID numbers, phone numbers) pass between clear text
// and what the store keeps: a libsodium secretbox (XSalsa20-Poly1305, random nonce) for the
// value, and a keyed BLAKE2b hash for exact look-up and uniqueness. Both keys are derived from
// one 32-byte master key kept in a file beside the database, never inside it.
// Thread-safe: immutable after construction.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::storage {

// The stored forms of one record's personal values (an ID number and a phone number), made
// ahead of its write: sealing is the costliest part of writing a person, so a bulk writer has
// it done on another thread and hands the results to Transaction::Insert*.
struct SealedPii {
  std::string id_sealed, id_hash;  // empty when there is no ID number
  std::string phone_sealed;        // empty when there is no phone number
};

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
  // The same into `out`, reusing its memory.
  void SealTo(absl::string_view clear, std::string* out) const;
  // DataLoss if `sealed` was not made by this key.
  absl::StatusOr<std::string> Open(absl::string_view sealed) const;
  // 16 bytes that identify `clear` under this key.
  std::string Hash(absl::string_view clear) const;
  void HashTo(absl::string_view clear, std::string* out) const;
  // Seal(id_number), Hash(id_number) and Seal(phone) into `out`, each left empty for an empty
  // value.
  void SealRecord(absl::string_view id_number, absl::string_view phone, SealedPii* out) const;
  // The audit chain's MAC (32 bytes) of an entry's canonical bytes `entry` following the MAC
  // `prev` of the entry before it, under a key of its own: without the key file, nobody can
  // change an entry and make the chain agree again.
  std::string ChainMac(absl::string_view prev, absl::string_view entry) const;

 private:
  PiiCodec() = default;
  void Derive(const unsigned char* master);
  unsigned char seal_key_[32];
  unsigned char hash_key_[32];
  unsigned char chain_key_[32];
  // Nonces are a random prefix fixed per codec and a counter: unique without a system call per
  // value (XSalsa20's 192-bit nonce leaves room for both).
  unsigned char nonce_prefix_[16];
  std::shared_ptr<std::atomic<uint64_t>> nonce_counter_ =
      std::make_shared<std::atomic<uint64_t>>(0);
};

}  // namespace jobaid::storage
