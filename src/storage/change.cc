#include "storage/change.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jobaid::storage {
namespace {

constexpr std::array<std::pair<Topic, absl::string_view>, 9> kTopics = {{
    {Topic::kRegister, "register"},
    {Topic::kHousehold, "household"},
    {Topic::kPerson, "person"},
    {Topic::kEmployer, "employer"},
    {Topic::kJob, "job"},
    {Topic::kApplication, "application"},
    {Topic::kUser, "user"},
    {Topic::kSession, "session"},
    {Topic::kSpells, "spells"},
}};

absl::Status Bad(absl::string_view text, absl::string_view at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("change \"", text.substr(0, 80), "\": ", what,
                                                 " at byte ", at.data() - text.data()));
}

void EncodeSpells(const SpellsChange& c, std::string& out) {
  absl::StrAppend(&out, c.household_id, " ", c.region_code, " ", c.person_id);
  for (const domain::SpellFact& s : c.spells) {
    absl::StrAppend(&out, " ", s.region_code, ",", s.start.days(), ",");
    if (s.end.valid()) absl::StrAppend(&out, s.end.days());
    absl::StrAppend(&out, ",", s.by_transfer ? 1 : 0);
  }
}

absl::StatusOr<SpellsChange> DecodeSpells(absl::string_view text, absl::string_view payload) {
  std::vector<absl::string_view> parts = absl::StrSplit(payload, ' ');
  SpellsChange c;
  if (parts.size() < 3 || !absl::SimpleAtoi(parts[0], &c.household_id) ||
      !absl::SimpleAtoi(parts[1], &c.region_code) || !absl::SimpleAtoi(parts[2], &c.person_id)) {
    return Bad(text, payload, "expected \"household region person\"");
  }
  for (size_t i = 3; i < parts.size(); ++i) {
    std::vector<absl::string_view> f = absl::StrSplit(parts[i], ',');
    domain::SpellFact& s = c.spells.emplace_back();
    int32_t start = 0, end = 0;
    int transfer = 0;
    if (f.size() != 4 || !absl::SimpleAtoi(f[0], &s.region_code) ||
        !absl::SimpleAtoi(f[1], &start) || (!f[2].empty() && !absl::SimpleAtoi(f[2], &end)) ||
        !absl::SimpleAtoi(f[3], &transfer) || transfer < 0 || transfer > 1) {
      return Bad(text, parts[i], "expected a spell \"workplace,start,end,transfer\"");
    }
    s.person_id = c.person_id;
    s.start = Date::FromDays(start);
    if (!f[2].empty()) s.end = Date::FromDays(end);
    s.by_transfer = transfer != 0;
  }
  return c;
}

}  // namespace

absl::string_view TopicName(Topic t) {
  for (const auto& [topic, name] : kTopics) {
    if (topic == t) return name;
  }
  return "unknown";
}

Change Change::Record(Topic t, int64_t id) {
  Change c;
  c.topic = t;
  c.id = id;
  return c;
}

Change Change::Register(domain::RegionRange range) {
  Change c;
  c.topic = Topic::kRegister;
  c.range = range;
  return c;
}

Change Change::Session(std::string token_hash) {
  Change c;
  c.topic = Topic::kSession;
  c.token_hash = std::move(token_hash);
  return c;
}

Change Change::Spells(SpellsChange s) {
  Change c;
  c.topic = Topic::kSpells;
  c.id = s.person_id;
  c.spells = std::move(s);
  return c;
}

std::string Change::Encode() const {
  std::string out = absl::StrCat(TopicName(topic), ":");
  switch (topic) {
    case Topic::kRegister:
      if (range.Contains(domain::RegionRange::Nation())) {
        out += "*";
      } else {
        absl::StrAppend(&out, range.lo, "-", range.hi);
      }
      break;
    case Topic::kSession:
      out += absl::BytesToHexString(token_hash);
      break;
    case Topic::kSpells:
      EncodeSpells(spells, out);
      break;
    default:
      absl::StrAppend(&out, id);
  }
  return out;
}

absl::StatusOr<Change> Change::Decode(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> tp =
      absl::StrSplit(text, absl::MaxSplits(':', 1));
  const auto* known = std::find_if(kTopics.begin(), kTopics.end(),
                                   [&](const auto& t) { return t.second == tp.first; });
  if (known == kTopics.end() || tp.first.size() == text.size()) {
    return Bad(text, text, "expected a known topic and ':'");
  }
  absl::string_view payload = tp.second;
  switch (known->first) {
    case Topic::kRegister: {
      if (payload == "*") return Register(domain::RegionRange::Nation());
      std::pair<absl::string_view, absl::string_view> lh = absl::StrSplit(payload, '-');
      domain::RegionRange r;
      if (!absl::SimpleAtoi(lh.first, &r.lo) || !absl::SimpleAtoi(lh.second, &r.hi) ||
          r.lo >= r.hi) {
        return Bad(text, payload, "expected \"*\" or a range \"lo-hi\"");
      }
      return Register(r);
    }
    case Topic::kSession: {
      if (payload.empty() || payload.size() % 2 != 0 ||
          !std::all_of(payload.begin(), payload.end(), absl::ascii_isxdigit)) {
        return Bad(text, payload, "expected the token's hash in hexadecimal");
      }
      return Session(absl::HexStringToBytes(payload));
    }
    case Topic::kSpells: {
      absl::StatusOr<SpellsChange> s = DecodeSpells(text, payload);
      if (!s.ok()) return s.status();
      return Spells(*std::move(s));
    }
    default: {
      int64_t id = 0;
      if (!absl::SimpleAtoi(payload, &id) || id <= 0)
        return Bad(text, payload, "expected a record id");
      return Record(known->first, id);
    }
  }
}

}  // namespace jobaid::storage
