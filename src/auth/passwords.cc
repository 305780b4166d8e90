#include "auth/passwords.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/status.h"

namespace jobaid::auth {
namespace {

// Passwords at the top of public leak and guessing lists, and the Chinese ones that lead lists
// of Chinese sites' leaks (pinyin, keyboard walks, dates, "I love you" as 5201314). Compared
// lower-case with digits and signs at the ends trimmed, so each also stands for its variants.
constexpr absl::string_view kCommon[] = {
    "password",      "passw0rd",   "p@ssword", "p@ssw0rd", "qwerty",    "qwertyuiop",
    "asdfghjkl",     "zxcvbnm",    "qazwsx",   "qwer",     "asdf",      "abc",
    "abcd",          "abcdef",     "abcdefg",  "abcdefgh", "iloveyou",  "admin",
    "administrator", "root",       "welcome",  "letmein",  "monkey",    "dragon",
    "football",      "baseball",   "sunshine", "princess", "master",    "shadow",
    "superman",      "michael",    "trustno",  "changeme", "default",   "secret",
    "login",         "guest",      "test",     "user",     "jobaid",    "jobaid-demo",
    "woaini",        "woaini1314", "wodemima", "mima",     "nihao",     "zhang",
    "wang",          "li",         "liu",      "chen",     "yang",      "huang",
    "zhao",          "wu",         "zhou",     "xu",       "sun",       "ma",
    "zhu",           "hu",         "guo",      "he",       "lin",       "luo",
    "gao",           "qq",         "aini",     "aaaaaa",   "1qaz2wsx",  "1q2w3e4r",
    "1q2w3e",        "q1w2e3r4",   "zaq12wsx", "qweasd",   "qweasdzxc", "asdasd",
    "qwe",           "a",          "aa",       "aaa",      "fuckyou",   "hello",
    "hellokitty",    "computer",   "internet", "pass",     "passport",  "starwars",
    "whatever",      "china",      "beijing",  "shanghai", "hunan",     "chenzhou",
    "yongxing",      "zhongguo",   "poverty",  "fupin",    "jiuye",     "bangfu"};

// Lower-case, with digits and ASCII signs trimmed from both ends.
std::string Core(absl::string_view password) {
  std::string s = absl::AsciiStrToLower(password);
  auto trimmed = [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
           absl::ascii_ispunct(static_cast<unsigned char>(c)) || c == ' ';
  };
  size_t b = 0, e = s.size();
  while (b < e && trimmed(s[b])) ++b;
  while (e > b && trimmed(s[e - 1])) --e;
  return s.substr(b, e - b);
}

size_t Utf8Chars(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

absl::Status CheckNewPassword(absl::string_view password, absl::string_view username) {
  if (Utf8Chars(password) < 10) {
    return FieldError("password", "a password needs at least 10 characters");
  }
  if (password.size() > 128) return FieldError("password", "a password has at most 128 bytes");
  if (password.find_first_not_of(password[0]) == absl::string_view::npos) {
    return FieldError("password", "a password must not be one character repeated");
  }
  std::string core = Core(password);
  std::string lower = absl::AsciiStrToLower(password);
  if (core.empty()) {  // "1234567890", "2026-12-07!": numbers, dates and signs alone
    return FieldError("password",
                      "a password of digits and signs alone is guessed quickly; add words");
  }
  bool common = false;
  for (absl::string_view c : kCommon) common = common || core == c;
  if (common) {
    return FieldError("password",
                      "this password is among the most guessed ones; choose a longer phrase");
  }
  std::string name = absl::AsciiStrToLower(username);
  if (name.size() >= 3 && absl::StrContains(lower, name)) {
    return FieldError("password", "a password must not contain the user name");
  }
  return absl::OkStatus();
}

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

std::string CsrfToken(absl::string_view session_token) {
  static constexpr char kKey[] = "jobaid csrf token of a session v1";  // 33 bytes: a domain tag
  unsigned char out[24];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(session_token.data()),
                     session_token.size(), reinterpret_cast<const unsigned char*>(kKey),
                     sizeof kKey - 1);
  std::string token;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<char*>(out), sizeof out), &token);
  return token;
}

bool SameToken(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace jobaid::auth
