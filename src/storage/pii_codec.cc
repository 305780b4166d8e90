#include "storage/pii_codec.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::storage {
namespace {
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'J', 'o', 'b', 'A', 'i', 'd', 'P', 'I'};
constexpr size_t kHashBytes = 16;

void InitSodium() { JA_CHECK(sodium_init() >= 0); }
}  // namespace

void PiiCodec::Derive(const unsigned char* master) {
  randombytes_buf(nonce_prefix_, sizeof nonce_prefix_);
  crypto_kdf_derive_from_key(seal_key_, sizeof seal_key_, 1, kKdfContext, master);
  crypto_kdf_derive_from_key(hash_key_, sizeof hash_key_, 2, kKdfContext, master);
  crypto_kdf_derive_from_key(chain_key_, sizeof chain_key_, 3, kKdfContext, master);
}

absl::StatusOr<PiiCodec> PiiCodec::FromKeyFile(const std::string& path, bool create) {
  InitSodium();
  unsigned char master[crypto_kdf_KEYBYTES];
  std::ifstream in(path, std::ios::binary);
  if (in) {
    in.read(reinterpret_cast<char*>(master), sizeof master);
    if (in.gcount() != sizeof master || in.get() != EOF) {
      return absl::DataLossError(absl::StrCat(path, " is not a JobAid key file (32 bytes)"));
    }
  } else {
    if (!create) {
      return absl::NotFoundError(absl::StrCat("key file ", path,
                                              " is missing; without it the "
                                              "personal data in the store cannot be read"));
    }
    crypto_kdf_keygen(master);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || ::write(fd, master, sizeof master) != sizeof master || ::fsync(fd) != 0) {
      if (fd >= 0) ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot create key file ", path));
    }
    ::close(fd);
  }
  PiiCodec codec;
  codec.Derive(master);
  sodium_memzero(master, sizeof master);
  return codec;
}

PiiCodec PiiCodec::FromSeed(absl::string_view seed) {
  InitSodium();
  unsigned char master[crypto_kdf_KEYBYTES];
  crypto_generichash(master, sizeof master, reinterpret_cast<const unsigned char*>(seed.data()),
                     seed.size(), nullptr, 0);
  PiiCodec codec;
  codec.Derive(master);
  return codec;
}

std::string PiiCodec::Seal(absl::string_view clear) const {
  std::string out;
  SealTo(clear, &out);
  return out;
}

void PiiCodec::SealTo(absl::string_view clear, std::string* out) const {
  out->resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + clear.size());
  auto* p = reinterpret_cast<unsigned char*>(out->data());
  static_assert(crypto_secretbox_NONCEBYTES == sizeof nonce_prefix_ + 8);
  std::memcpy(p, nonce_prefix_, sizeof nonce_prefix_);
  uint64_t n = nonce_counter_->fetch_add(1, std::memory_order_relaxed);
  std::memcpy(p + sizeof nonce_prefix_, &n, sizeof n);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(clear.data()), clear.size(), p,
                        seal_key_);
}

absl::StatusOr<std::string> PiiCodec::Open(absl::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return absl::DataLossError("sealed value is truncated");
  }
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                 p + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, p, seal_key_) != 0) {
    return absl::DataLossError(
        "a sealed value does not open with this key; is var/jobaid.key the one this database "
        "was made with?");
  }
  return out;
}

std::string PiiCodec::Hash(absl::string_view clear) const {
  std::string out;
  HashTo(clear, &out);
  return out;
}

void PiiCodec::HashTo(absl::string_view clear, std::string* out) const {
  out->resize(kHashBytes);
  crypto_generichash(reinterpret_cast<unsigned char*>(out->data()), kHashBytes,
                     reinterpret_cast<const unsigned char*>(clear.data()), clear.size(), hash_key_,
                     sizeof hash_key_);
}

void PiiCodec::SealRecord(absl::string_view id_number, absl::string_view phone,
                          SealedPii* out) const {
  out->id_sealed.clear();
  out->id_hash.clear();
  out->phone_sealed.clear();
  if (!id_number.empty()) {
    SealTo(id_number, &out->id_sealed);
    HashTo(id_number, &out->id_hash);
  }
  if (!phone.empty()) SealTo(phone, &out->phone_sealed);
}

std::string PiiCodec::ChainMac(absl::string_view prev, absl::string_view entry) const {
  crypto_generichash_state st;
  crypto_generichash_init(&st, chain_key_, sizeof chain_key_, 32);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(prev.data()), prev.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(entry.data()),
                            entry.size());
  std::string out(32, '\0');
  crypto_generichash_final(&st, reinterpret_cast<unsigned char*>(out.data()), out.size());
  return out;
}

}  // namespace jobaid::storage
