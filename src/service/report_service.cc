#include "service/report_service.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/status.h"
#include "io/table.h"

namespace jobaid::service {

using analytics::Figure;
using analytics::FigureKind;
using RegionFigures = IndicatorService::RegionFigures;

namespace {

// The standard names of the levels in the reports.
std::string LevelTitle(domain::RegionLevel l) {
  switch (l) {
    case domain::RegionLevel::kProvince:
      return "省（区、市）";
    case domain::RegionLevel::kPrefecture:
      return "市（州）";
    case domain::RegionLevel::kCounty:
      return "县（市、区）";
    case domain::RegionLevel::kTownship:
      return "乡镇（街道）";
    case domain::RegionLevel::kVillage:
      return "村（社区）";
  }
  return "";
}

// A number for a cell: whole counts as integers, rates with enough digits; "" for none.
std::string Cell(std::optional<double> v) {
  if (!v) return "";
  if (*v == std::floor(*v) && std::fabs(*v) < 1e15) return absl::StrCat(static_cast<int64_t>(*v));
  return absl::StrFormat("%.6f", *v);
}

std::string Shown(const Figure& f, std::optional<double> v) {
  return analytics::FormatValue(*f.def, v);
}

std::optional<double> Ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0) return std::nullopt;
  return *a / *b;
}

// One row per region of `regions`, one group of columns per indicator.
io::Table LevelSheet(const std::string& name, const std::vector<std::string>& title,
                     const std::vector<RegionFigures>& regions) {
  io::Table t;
  t.sheet_name = name;
  t.title = title;
  t.header = {"区划代码", "名称"};
  t.numeric = {false, false};
  t.percent = {false, false};
  for (const analytics::IndicatorDef& d : analytics::Indicators()) {
    bool rate = d.kind == FigureKind::kRate;
    for (const std::string& h :
         {absl::StrCat(d.zh, rate ? "（%）" : ""), absl::StrCat(d.zh, "：", d.numerator_zh),
          absl::StrCat(d.zh, "：", d.denominator_zh), absl::StrCat(d.zh, "：上年同期"),
          absl::StrCat(d.zh, "：目标"), absl::StrCat(d.zh, "：完成率")}) {
      t.header.push_back(h);
      t.numeric.push_back(true);
    }
    for (bool p : {rate, false, false, rate, rate, true}) t.percent.push_back(p);
  }
  for (const RegionFigures& r : regions) {
    std::vector<std::string> row = {r.short_code.empty() ? "000000" : r.short_code, r.name};
    for (size_t i = 0; i < r.figures.size(); ++i) {
      const Figure& f = r.figures[i];
      row.push_back(Cell(f.value()));
      row.push_back(absl::StrCat(f.numerator));
      row.push_back(absl::StrCat(f.denominator));
      row.push_back(Cell(r.last_year[i].value()));
      row.push_back(Cell(r.targets[i]));
      row.push_back(Cell(Ratio(f.value(), r.targets[i])));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string Escape(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

// A horizontal bar chart of `rows` (name, value) as inline SVG, largest first.
std::string BarSvg(std::vector<std::pair<std::string, double>> rows, bool percent) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (rows.size() > 30) rows.resize(30);
  double max = 0;
  for (const auto& [n, v] : rows) max = std::max(max, v);
  const int bar = 18, left = 130, width = 460;
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      left + width + 70, static_cast<int>(rows.size()) * (bar + 6) + 6);
  for (size_t i = 0; i < rows.size(); ++i) {
    int y = 6 + static_cast<int>(i) * (bar + 6);
    double w = max > 0 ? rows[i].second / max * width : 0;
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1d5fd6\"/>"
        "<text x=\"%.1f\" y=\"%d\">%s</text>",
        left - 6, y + bar - 5, Escape(rows[i].first), left, y, w, bar, left + w + 4, y + bar - 5,
        percent ? absl::StrFormat("%.1f%%", 100 * rows[i].second)
                : absl::StrFormat("%d", static_cast<int64_t>(std::llround(rows[i].second))));
  }
  return svg + "</svg>";
}

// A line chart of the points as inline SVG.
std::string LineSvg(const std::vector<IndicatorService::Point>& points) {
  if (points.empty()) return "";
  double max = 1;
  for (const auto& p : points) max = std::max(max, p.figure.value().value_or(0));
  const int w = 640, h = 220, pad = 40;
  std::string path, labels;
  for (size_t i = 0; i < points.size(); ++i) {
    double x = pad + (points.size() == 1 ? 0 : (w - 2.0 * pad) * i / (points.size() - 1));
    double y = h - pad - (h - 2.0 * pad) * points[i].figure.value().value_or(0) / max;
    absl::StrAppendFormat(&path, "%s%.1f,%.1f", i == 0 ? "M" : " L", x, y);
    absl::StrAppendFormat(&labels,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1d5fd6\"/>"
                          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
                          x, y, x, h - pad + 18, points[i].day.ToString().substr(2, 5), x, y - 8,
                          static_cast<int64_t>(points[i].figure.value().value_or(0)));
  }
  return absl::StrFormat(
      "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
      "xmlns=\"http://www.w3.org/2000/svg\">"
      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
      "<path d=\"%s\" fill=\"none\" stroke=\"#1d5fd6\" stroke-width=\"2\"/>%s</svg>",
      w, h, pad, h - pad, w - pad, h - pad, path, labels);
}

}  // namespace

absl::StatusOr<ReportService::Report> ReportService::Monthly(const auth::Actor& a,
                                                             const std::string& region, Date as_of,
                                                             int max_levels) {
  Report r;
  JA_ASSIGN_OR_RETURN(r.figures, indicators_.Of(a, region, as_of));
  int top = 0;  // the nation
  if (r.figures.total.code != 0) {
    JA_ASSIGN_OR_RETURN(domain::Region self, ctx_.regions.Find(r.figures.total.code));
    top = static_cast<int>(self.level);
  }
  for (int l = top + 1;
       l <= static_cast<int>(domain::RegionLevel::kVillage) && l - top <= max_levels; ++l) {
    Level level;
    level.level = static_cast<domain::RegionLevel>(l);
    level.name = LevelTitle(level.level);
    JA_ASSIGN_OR_RETURN(level.regions, indicators_.OfLevel(a, region, level.level, as_of));
    if (!level.regions.empty()) r.levels.push_back(std::move(level));
  }
  JA_ASSIGN_OR_RETURN(r.trend, indicators_.Series(a, region, "employed", as_of, 12));
  return r;
}

absl::StatusOr<std::string> ReportService::Xlsx(const Report& r) {
  const RegionFigures& total = r.figures.total;
  std::vector<std::string> title = {
      absl::StrCat(total.name, "就业帮扶月报"),
      absl::StrCat("统计时点：", r.figures.as_of.ToString(), "；上年同期：",
                   r.figures.last_year.ToString(), "；比率以小数记，单元格显示为百分数")};
  std::vector<io::Table> sheets;
  // The summary: one row per indicator.
  io::Table sum;
  sum.sheet_name = "汇总";
  sum.title = title;
  sum.header = {"指标",     "数值",     "分子",       "分子口径", "分母",  "分母口径",
                "上年同期", "同比增减", "同比增长率", "目标",     "完成率"};
  sum.numeric = {false, true, true, false, true, false, true, true, true, true, true};
  for (size_t i = 0; i < total.figures.size(); ++i) {
    const Figure& f = total.figures[i];
    std::optional<double> now = f.value(), then = total.last_year[i].value();
    std::optional<double> change;
    if (now && then) change = *now - *then;
    sum.rows.push_back({std::string(f.def->zh), Cell(now), absl::StrCat(f.numerator),
                        std::string(f.def->numerator_zh), absl::StrCat(f.denominator),
                        std::string(f.def->denominator_zh), Cell(then), Cell(change),
                        Cell(Ratio(change, then)), Cell(total.targets[i]),
                        Cell(Ratio(now, total.targets[i]))});
  }
  sum.percent = {false, false, false, false, false, false, false, false, true, false, true};
  sheets.push_back(std::move(sum));
  for (const Level& l : r.levels) sheets.push_back(LevelSheet(l.name, title, l.regions));
  return io::WriteXlsx(sheets);
}

std::string ReportService::Html(const Report& r) {
  const RegionFigures& total = r.figures.total;
  std::string h = absl::StrCat(
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>",
      Escape(total.name), "就业帮扶月报 ", r.figures.as_of.ToString(),
      "</title><style>"
      "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}"
      "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}"
      ".muted{color:#666;font-size:13px}table{border-collapse:collapse;width:100%;font-size:13px}"
      "th,td{border:1px solid #ccc;padding:4px 6px;text-align:right}th{background:#f2f5fa}"
      "td:first-child,th:first-child{text-align:left}.chart{width:100%;max-width:720px;"
      "font-size:11px}.up{color:#1a7f37}.down{color:#c0392b}"
      "@media print{body{margin:0}h2{break-after:avoid}table,svg{break-inside:avoid}"
      ".noprint{display:none}}</style></head><body>");
  absl::StrAppend(&h, "<h1>", Escape(total.name), "就业帮扶月报</h1><p class=\"muted\">统计时点 ",
                  r.figures.as_of.ToString(), "，上年同期 ", r.figures.last_year.ToString(),
                  "。<button class=\"noprint\" onclick=\"print()\">打印</button></p>");
  absl::StrAppend(&h,
                  "<h2>主要指标</h2><table><thead><tr><th>指标</th><th>数值</th><th>分子</th>"
                  "<th>分母</th><th>上年同期</th><th>同比</th><th>目标</th><th>完成率</th></tr>"
                  "</thead><tbody>");
  for (size_t i = 0; i < total.figures.size(); ++i) {
    const Figure& f = total.figures[i];
    std::optional<double> now = f.value(), then = total.last_year[i].value();
    std::string change = "—", cls;
    if (now && then) {
      double c = *now - *then;
      change = f.def->kind == FigureKind::kRate
                   ? absl::StrFormat("%+.1f 个百分点", 100 * c)
                   : absl::StrFormat("%+d", static_cast<int64_t>(std::llround(c)));
      // Green for better: fewer zero-employment households, more of anything else.
      bool better = f.def->key == "zero_employment_households" ? c < 0 : c > 0;
      cls = c == 0 ? "" : better ? "up" : "down";
    }
    std::optional<double> done = Ratio(now, total.targets[i]);
    absl::StrAppend(&h, "<tr><td>", Escape(f.def->zh), "</td><td>", Shown(f, now), "</td><td>",
                    f.numerator, "</td><td>", f.denominator, "</td><td>", Shown(f, then),
                    "</td><td class=\"", cls, "\">", change, "</td><td>",
                    Shown(f, total.targets[i]), "</td><td>",
                    done ? absl::StrFormat("%.1f%%", 100 * *done) : "—", "</td></tr>");
  }
  absl::StrAppend(&h, "</tbody></table>");
  absl::StrAppend(&h, "<h2>务工就业规模逐月走势</h2>", LineSvg(r.trend));
  const std::vector<RegionFigures>& subs = r.figures.subregions;
  if (!subs.empty()) {
    for (const char* key : {"employed", "intention_employment_rate"}) {
      std::vector<std::pair<std::string, double>> rows;
      const analytics::IndicatorDef* def = analytics::FindIndicator(key);
      for (const RegionFigures& s : subs) {
        for (const Figure& f : s.figures) {
          if (f.def == def) rows.emplace_back(s.name, f.value().value_or(0));
        }
      }
      absl::StrAppend(&h, "<h2>下级区域", Escape(def->zh), "排名</h2>",
                      BarSvg(rows, def->kind == FigureKind::kRate));
    }
    absl::StrAppend(&h,
                    "<h2>下级区域明细</h2><table><thead><tr><th>区域</th><th>劳动力</th>"
                    "<th>务工就业</th><th>县外就业</th><th>有意愿就业率</th><th>务工稳定率</th>"
                    "<th>零就业家庭</th><th>就业目标完成率</th></tr></thead><tbody>");
    for (const RegionFigures& s : subs) {
      auto at = [&](absl::string_view key) {
        size_t i = 0;
        while (i + 1 < s.figures.size() && s.figures[i].def->key != key) ++i;
        return i;
      };
      auto fig = [&](absl::string_view key) -> const Figure& { return s.figures[at(key)]; };
      std::optional<double> done = Ratio(fig("employed").value(), s.targets[at("employed")]);
      absl::StrAppend(
          &h, "<tr><td>", Escape(s.name), "</td><td>", fig("laborers").numerator, "</td><td>",
          fig("employed").numerator, "</td><td>", fig("out_migrants").numerator, "</td><td>",
          Shown(fig("intention_employment_rate"), fig("intention_employment_rate").value()),
          "</td><td>", Shown(fig("work_stability"), fig("work_stability").value()), "</td><td>",
          fig("zero_employment_households").numerator, "</td><td>",
          done ? absl::StrFormat("%.1f%%", 100 * *done) : "—", "</td></tr>");
    }
    absl::StrAppend(&h, "</tbody></table>");
  }
  absl::StrAppend(
      &h, "<p class=\"muted\">口径见 docs/INDICATORS.md；由 JobAid 生成。</p></body></html>");
  return h;
}

}  // namespace jobaid::service
