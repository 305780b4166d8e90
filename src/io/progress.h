// A one-line progress bar on a terminal, silent when stderr is not one.
#pragma once

#include <cstdint>
#include <string>

namespace jobaid::io {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  // `fraction` in [0, 1]; redraws at most ten times a second.
  void Update(double fraction, int64_t rows);
  void Finish(int64_t rows);

 private:
  std::string label_;
  bool tty_;
  int64_t last_ms_ = 0;
  int64_t start_ms_;
  bool finished_ = false;
};

}  // namespace jobaid::io
