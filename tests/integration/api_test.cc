// In-process checks of the API layer: the OpenAPI document against the router's real routes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "server/app.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

namespace json = boost::json;

TEST(OpenApi, DocumentsExactlyTheRoutesTheRouterServes) {
  TempDir dir;
  server::AppOptions opt;
  opt.data_dir = dir.path();
  opt.regions_file = JOBAID_REGIONS_FILE;
  auto app = server::App::Open(opt);
  ASSERT_TRUE(app.ok()) << app.status();

  boost::system::error_code ec;
  auto sv = api::OpenApiDocument();
  json::value doc = json::parse(json::string_view(sv.data(), sv.size()), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(doc.at("openapi").as_string().subview(0, 2), "3.");
  const json::object& paths = doc.at("paths").as_object();

  std::set<std::string> routes, documented;
  for (const api::Route& r : (*app)->router().routes()) {
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert(method + " " + r.pattern);
  }
  for (const auto& [path, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
      const json::object& o = op.as_object();
      EXPECT_TRUE(o.contains("summary")) << method << " " << path;
      EXPECT_TRUE(o.contains("responses")) << method << " " << path;
      // Every {param} of the path is declared.
      std::string p(path);
      for (size_t b = p.find('{'); b != std::string::npos; b = p.find('{', b + 1)) {
        std::string name = p.substr(b + 1, p.find('}', b) - b - 1);
        bool declared = false;
        if (o.contains("parameters")) {
          for (const auto& param : o.at("parameters").as_array()) {
            declared |=
                param.at("name").as_string() == name && param.at("in").as_string() == "path";
          }
        }
        EXPECT_TRUE(declared) << method << " " << path << " does not declare {" << name << "}";
      }
    }
  }
  for (const auto& r : routes) EXPECT_TRUE(documented.count(r)) << "undocumented route: " << r;
  for (const auto& d : documented)
    EXPECT_TRUE(routes.count(d)) << "documented but not served: " << d;
  // Every $ref points at a schema that exists.
  std::string text(sv);
  const json::object& schemas = doc.at("components").at("schemas").as_object();
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    size_t start = at + std::string("#/components/schemas/").size();
    std::string name = text.substr(start, text.find('"', start) - start);
    EXPECT_TRUE(schemas.contains(name)) << "missing schema " << name;
  }
}

}  // namespace
}  // namespace jobaid::testing
