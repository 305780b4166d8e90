#include "common/status.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace jobaid {

// Each string as "<length>:<bytes>": the code, then each name and value.
std::string Reason::Encode() const {
  std::string out;
  auto put = [&out](absl::string_view x) { absl::StrAppend(&out, x.size(), ":", x); };
  put(code);
  for (const auto& [name, value] : params) {
    put(name);
    put(value);
  }
  return out;
}

namespace {

// The strings of "<length>:<bytes>…"; nullopt if `text` is not that.
std::optional<std::vector<std::string>> Strings(absl::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    size_t colon = text.find(':');
    size_t n = 0;
    if (colon > 9 ||  // npos too
        !absl::SimpleAtoi(text.substr(0, colon), &n) || n > text.size() - colon - 1) {
      return std::nullopt;
    }
    parts.emplace_back(text.substr(colon + 1, n));
    text.remove_prefix(colon + 1 + n);
  }
  return parts;
}

}  // namespace

Reason Reason::Decode(absl::string_view text) {
  std::optional<std::vector<std::string>> got = Strings(text);
  Reason r;
  if (!got || got->empty() || got->size() % 2 == 0 || (*got)[0].empty()) return r;
  const std::vector<std::string>& parts = *got;
  r.code = parts[0];
  for (size_t i = 1; i + 1 < parts.size(); i += 2) r.params.emplace_back(parts[i], parts[i + 1]);
  return r;
}

std::string EncodeReasons(const std::vector<Reason>& rs) {
  std::string out;
  for (const Reason& r : rs) {
    std::string one = r.Encode();
    absl::StrAppend(&out, one.size(), ":", one);
  }
  return out;
}

std::optional<std::vector<Reason>> DecodeReasons(absl::string_view text) {
  std::optional<std::vector<std::string>> got = Strings(text);
  if (!got) return std::nullopt;
  std::vector<Reason> out;
  for (const std::string& one : *got) {
    Reason r = Reason::Decode(one);
    if (r.empty()) return std::nullopt;
    out.push_back(std::move(r));
  }
  return out;
}

absl::Status WithReason(absl::Status s, const Reason& r) {
  if (!s.ok() && !r.empty()) s.SetPayload(kReasonPayload, absl::Cord(r.Encode()));
  return s;
}

Reason ReasonOf(const absl::Status& s) {
  auto p = s.GetPayload(kReasonPayload);
  return p ? Reason::Decode(std::string(*p)) : Reason();
}

}  // namespace jobaid
