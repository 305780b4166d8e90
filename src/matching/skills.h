// The shared vocabulary of skills and occupations the matcher compares: each term has a name
// (used in reasons) and synonyms, so that "焊工", "电焊工" and "电焊" are one skill. Loaded
// from data/matching/skills.tsv, compiled into the binary. Immutable; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::matching {

// The data files compiled in (cmake/embed_file.cmake).
extern const unsigned char kSkillsTsv[];  // data/matching/skills.tsv
extern const size_t kSkillsTsvSize;
extern const unsigned char kWeightsJson[];  // data/matching/weights.json
extern const size_t kWeightsJsonSize;
inline absl::string_view Embedded(const unsigned char* bytes, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(bytes), size);
}

class SkillVocabulary {
 public:
  // Lines of "name<TAB>synonym,synonym,..."; '#' starts a comment line. InvalidArgument names
  // the line of a term defined twice or a line without a name.
  static absl::StatusOr<SkillVocabulary> Parse(absl::string_view tsv);
  // The vocabulary of data/matching/skills.tsv.
  static const SkillVocabulary& Default();

  // The term a word written by a person names (its name or a synonym, spaces ignored), or -1.
  int Find(absl::string_view word) const;
  const std::string& Name(int term) const { return names_[static_cast<size_t>(term)]; }
  int size() const { return static_cast<int>(names_.size()); }

  // `words` as terms: known ones by number, others by their text (spaces removed), so that
  // equal unknown words still meet. Distinct, in order.
  struct Terms {
    std::vector<int> known;
    std::vector<std::string> other;
    bool empty() const { return known.empty() && other.empty(); }
  };
  Terms TermsOf(const std::vector<std::string>& words) const;

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, int> by_word_;
};

}  // namespace jobaid::matching
