#include "domain/identifiers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace jobaid::domain {

absl::string_view GenderCode(Gender g) { return g == Gender::kMale ? "male" : "female"; }

char IdNumberCheckChar(absl::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kChecks[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChecks[sum % 11];
}

absl::StatusOr<IdNumberInfo> ParseIdNumber(absl::string_view text, const RegionTable& regions,
                                           Date today) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t.size() != 18) {
    return Invalid(absl::StrFormat("an ID number has 18 characters, \"%s\" has %d", t,
                                   static_cast<int>(t.size())),
                   {"id_length", {{"value", std::string(t)}, {"length", absl::StrCat(t.size())}}});
  }
  for (size_t i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(t[i]))) {
      return Invalid(
          absl::StrFormat("character %d of the ID number is \"%c\"; the first 17 must be digits",
                          i + 1, t[i]),
          {"id_not_digit", {{"position", absl::StrCat(i + 1)}, {"char", std::string(1, t[i])}}});
    }
  }
  char last = absl::ascii_toupper(static_cast<unsigned char>(t[17]));
  if (!absl::ascii_isdigit(static_cast<unsigned char>(last)) && last != 'X') {
    return Invalid(
        absl::StrFormat("the last character of the ID number must be a digit or X, not \"%c\"",
                        t[17]),
        {"id_last_char", {{"char", std::string(1, t[17])}}});
  }
  IdNumberInfo info;
  info.normalized = std::string(t.substr(0, 17)) + last;
  int64_t province = (t[0] - '0') * 10 + (t[1] - '0');
  if (!regions.Contains(province * 10000000000LL)) {
    return Invalid(absl::StrFormat("the ID number starts with %s, which is not a province code",
                                   t.substr(0, 2)),
                   {"id_province", {{"prefix", std::string(t.substr(0, 2))}}});
  }
  int y = std::stoi(std::string(t.substr(6, 4)));
  int m = std::stoi(std::string(t.substr(10, 2)));
  int d = std::stoi(std::string(t.substr(12, 2)));
  info.birth_date = Date::FromCivil(y, m, d);
  if (!info.birth_date.valid() || y < 1850) {
    return Invalid(
        absl::StrFormat("the birth date in the ID number, %s, is not a real date", t.substr(6, 8)),
        {"id_birth_invalid", {{"date", std::string(t.substr(6, 8))}}});
  }
  if (info.birth_date > today) {
    return Invalid(absl::StrFormat("the birth date in the ID number, %s, lies in the future",
                                   info.birth_date.ToString()),
                   {"id_birth_future", {{"date", info.birth_date.ToString()}}});
  }
  char check = IdNumberCheckChar(t);
  if (check != last) {
    return Invalid(
        absl::StrFormat("the check character of the ID number should be %c, not %c; a "
                        "digit was probably mistyped",
                        check, last),
        {"id_check_char", {{"expected", std::string(1, check)}, {"got", std::string(1, last)}}});
  }
  info.gender = ((t[16] - '0') % 2 == 1) ? Gender::kMale : Gender::kFemale;
  int64_t county = std::stoll(std::string(t.substr(0, 6))) * 1000000;
  const RegionTable::Entry* e = regions.FindEntry(county);
  if (e == nullptr || e->level < static_cast<uint8_t>(RegionLevel::kCounty)) {
    info.warning = absl::StrCat("the first six digits ", t.substr(0, 6),
                                " are not a current county (it may have been renamed)");
  }
  return info;
}

std::string MaskIdNumber(absl::string_view id) {
  if (id.size() != 18) return std::string(id.size(), '*');
  return absl::StrCat(id.substr(0, 6), "********", id.substr(14));
}

namespace {
constexpr absl::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
}

char CreditCodeCheckChar(absl::string_view first17) {
  static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    size_t v = kCreditAlphabet.find(first17[i]);
    if (v == absl::string_view::npos) return '\0';
    sum += static_cast<int>(v) * kWeights[i];
  }
  int c = 31 - sum % 31;
  return kCreditAlphabet[c == 31 ? 0 : c];
}

absl::StatusOr<std::string> ParseCreditCode(absl::string_view text) {
  std::string code = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  if (code.size() != 18) {
    return Invalid(absl::StrFormat("a unified social credit code has 18 characters, \"%s\" has %d",
                                   code, static_cast<int>(code.size())),
                   {"credit_length", {{"value", code}, {"length", absl::StrCat(code.size())}}});
  }
  for (size_t i = 0; i < 18; ++i) {
    if (kCreditAlphabet.find(code[i]) == absl::string_view::npos) {
      return Invalid(
          absl::StrFormat("character %d of the credit code, \"%c\", is not allowed (I, "
                          "O, Z, S and V are never used)",
                          i + 1, code[i]),
          {"credit_char", {{"position", absl::StrCat(i + 1)}, {"char", std::string(1, code[i])}}});
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(code[i]))) {
      return Invalid("characters 3-8 of the credit code are the region code and must be digits",
                     {"credit_region_digits", {}});
    }
  }
  char check = CreditCodeCheckChar(code);
  if (check != code[17]) {
    return Invalid(absl::StrFormat("the check character of the credit code should be %c, not %c",
                                   check, code[17]),
                   {"credit_check_char",
                    {{"expected", std::string(1, check)}, {"got", std::string(1, code[17])}}});
  }
  return code;
}

absl::StatusOr<std::string> ParseMobile(absl::string_view text) {
  std::string digits;
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (absl::ConsumePrefix(&t, "+86")) t = absl::StripLeadingAsciiWhitespace(t);
  for (char c : t) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return Invalid(absl::StrFormat("\"%s\" is not a mobile number: it contains \"%c\"", text, c),
                     {"mobile_char", {{"value", std::string(text)}, {"char", std::string(1, c)}}});
    }
  }
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') {
    return Invalid(
        absl::StrFormat("\"%s\" is not a mobile number; write the 11 digits, e.g. 13812345678",
                        text),
        {"mobile_digits", {{"value", std::string(text)}}});
  }
  return digits;
}

std::string MaskPhone(absl::string_view phone) {
  if (phone.size() != 11) return std::string(phone.size(), '*');
  return absl::StrCat(phone.substr(0, 3), "****", phone.substr(7));
}

}  // namespace jobaid::domain
