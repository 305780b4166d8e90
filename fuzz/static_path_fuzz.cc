// The static route's path resolution on arbitrary (already percent-decoded) paths, over a web
// folder with a link that leads out of it. The property: whatever it accepts lies inside the
// folder once links are followed.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "api/static_files.h"

namespace fs = std::filesystem;

namespace {
const fs::path& Root() {
  static const fs::path* root = [] {
    std::string tmpl = (fs::temp_directory_path() / "jobaid-fuzz-XXXXXX").string();
    fs::path base = ::mkdtemp(tmpl.data());
    fs::create_directories(base / "web" / "assets");
    fs::create_directories(base / "secret");
    std::ofstream(base / "web" / "index.html") << "<!doctype html>";
    std::ofstream(base / "web" / "assets" / "app.js") << "1";
    std::ofstream(base / "secret" / "jobaid.key") << "key";
    fs::create_directory_symlink(base / "secret", base / "web" / "out");
    return new fs::path(fs::canonical(base / "web"));
  }();
  return *root;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path(reinterpret_cast<const char*>(data), size);
  auto file = jobaid::api::ResolveStaticPath(Root(), path);
  if (!file) return 0;
  fs::path p = fs::weakly_canonical(*file);
  auto [r, q] = std::mismatch(Root().begin(), Root().end(), p.begin(), p.end());
  if (r != Root().end()) {
    std::fprintf(stderr, "escaped: %s -> %s\n", path.c_str(), p.c_str());
    std::abort();
  }
  return 0;
}
