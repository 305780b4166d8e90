#include "auth/passwords.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "common/status.h"

namespace jobaid::auth {

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  JA_CHECK(sodium_init() >= 0);
  if (password.size() < 8) {
    return FieldError("password", "a password needs at least 8 characters");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(absl::string_view hash, absl::string_view password) {
  JA_CHECK(sodium_init() >= 0);
  std::string h(hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string NewSessionToken() {
  JA_CHECK(sodium_init() >= 0);
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  std::string token;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<char*>(buf), sizeof buf), &token);
  return token;
}

std::string HashSessionToken(absl::string_view token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

}  // namespace jobaid::auth
