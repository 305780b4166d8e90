#include "io/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace jobaid::io {
namespace {
int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0), start_ms_(NowMs()) {}

ProgressBar::~ProgressBar() {
  if (tty_ && !finished_ && last_ms_ != 0) std::fputc('\n', stderr);
}

void ProgressBar::Update(double fraction, int64_t rows) {
  if (!tty_) return;
  int64_t now = NowMs();
  if (now - last_ms_ < 100) return;
  last_ms_ = now;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth + 0.5);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  double secs = (now - start_ms_) / 1000.0;
  std::fprintf(stderr, "\r%s [%s] %3d%%  %lld rows  %.0f rows/s ", label_.c_str(), bar,
               static_cast<int>(fraction * 100), static_cast<long long>(rows),
               secs > 0 ? rows / secs : 0.0);
  std::fflush(stderr);
}

void ProgressBar::Finish(int64_t rows) {
  if (!tty_ || last_ms_ == 0) return;
  last_ms_ = 0;
  Update(1.0, rows);
  std::fputc('\n', stderr);
  finished_ = true;
}

}  // namespace jobaid::io
