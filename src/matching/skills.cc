#include "matching/skills.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace jobaid::matching {

namespace {

std::string Key(absl::string_view word) {
  std::string out;
  for (char c : absl::StripAsciiWhitespace(word)) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

}  // namespace

absl::StatusOr<SkillVocabulary> SkillVocabulary::Parse(absl::string_view tsv) {
  SkillVocabulary v;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    std::string name = Key(parts[0]);
    if (name.empty())
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": no name"));
    int term = v.size();
    v.names_.push_back(name);
    std::vector<std::string> words = {name};
    if (parts.size() > 1) {
      for (absl::string_view w : absl::StrSplit(parts[1], ',', absl::SkipWhitespace())) {
        words.push_back(Key(w));
      }
    }
    for (const std::string& w : words) {
      auto [it, inserted] = v.by_word_.emplace(w, term);
      if (!inserted && it->second != term) {
        return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": \"", w,
                                                       "\" already belongs to ",
                                                       v.names_[static_cast<size_t>(it->second)]));
      }
    }
  }
  return v;
}

const SkillVocabulary& SkillVocabulary::Default() {
  static const SkillVocabulary* v = [] {
    auto parsed = Parse(Embedded(kSkillsTsv, kSkillsTsvSize));
    return new SkillVocabulary(parsed.ok() ? std::move(*parsed) : SkillVocabulary());
  }();
  return *v;
}

int SkillVocabulary::Find(absl::string_view word) const {
  auto it = by_word_.find(Key(word));
  return it == by_word_.end() ? -1 : it->second;
}

SkillVocabulary::Terms SkillVocabulary::TermsOf(const std::vector<std::string>& words) const {
  Terms out;
  for (const std::string& w : words) {
    int t = Find(w);
    if (t >= 0) {
      if (std::find(out.known.begin(), out.known.end(), t) == out.known.end())
        out.known.push_back(t);
      continue;
    }
    std::string k = Key(w);
    if (!k.empty() && std::find(out.other.begin(), out.other.end(), k) == out.other.end()) {
      out.other.push_back(std::move(k));
    }
  }
  return out;
}

}  // namespace jobaid::matching
