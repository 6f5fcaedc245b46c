// biocorpus counts, cooccur, trends, significant and export: the corpus
// analytics of the query service, as tables, CSV, pictures drawn by gnuplot,
// and BioC JSON.

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "cli/cli_common.h"
#include "cli/cli_flags.h"

namespace biocorpus::cli {
namespace {

namespace fs = std::filesystem;

// Sets the SearchPassages filters every analytics request shares (fields of
// the same names) from the flags. False with `error` set for a bad flag.
template <typename Request>
bool SetFilters(Request* request, std::string* error, bool with_concepts = true) {
  request->set_query(absl::GetFlag(FLAGS_query));
  if (with_concepts) {
    for (const std::string& c : absl::GetFlag(FLAGS_concepts)) request->add_concepts(c);
  }
  const std::string match = absl::AsciiStrToLower(absl::GetFlag(FLAGS_match));
  if (match == "all") {
    request->set_match(v1::SearchPassagesRequest::ALL);
  } else if (match == "all_in_document") {
    request->set_match(v1::SearchPassagesRequest::ALL_IN_DOCUMENT);
  } else if (match != "any") {
    *error = "--match must be any, all or all_in_document";
    return false;
  }
  request->set_include_descendants(absl::GetFlag(FLAGS_descendants));
  v1::ConceptCategory category;
  if (!ParseCategory(absl::GetFlag(FLAGS_category), &category)) {
    *error = "--category must be a ConceptCategory such as topic or legislation";
    return false;
  }
  request->set_category(category);
  v1::DocumentFormat format;
  if (!ParseFormat(absl::GetFlag(FLAGS_format), &format)) {
    *error = "--format must be citation_record, mirrored_article or plain_abstract";
    return false;
  }
  request->set_format(format);
  request->set_year_min(absl::GetFlag(FLAGS_year_min));
  request->set_year_max(absl::GetFlag(FLAGS_year_max));
  request->set_author(absl::GetFlag(FLAGS_author));
  request->set_language(absl::GetFlag(FLAGS_language));
  request->set_source_tag(absl::GetFlag(FLAGS_source_tag));
  return true;
}

// A CSV field, quoted when it needs to be (RFC 4180).
std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\n") == std::string::npos) return field;
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

void PrintCsv(const std::vector<std::vector<std::string>>& rows) {
  for (const std::vector<std::string>& row : rows) {
    std::vector<std::string> fields;
    for (const std::string& f : row) fields.push_back(Csv(f));
    std::cout << absl::StrJoin(fields, ",") << "\n";
  }
}

// Prints rows as columns padded to their widths (the first row a header).
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  auto width = [](const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], width(row[i]));
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - width(row[i]) + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

void Print(const std::vector<std::vector<std::string>>& rows) {
  if (absl::GetFlag(FLAGS_csv)) {
    PrintCsv(rows);
  } else {
    PrintTable(rows);
  }
}

// How the answer was made, on stderr, when it was read from the passages.
template <typename Response>
void SayHow(const Response& response) {
  if (response.scanned()) {
    std::cerr << "(counted from the matching passages"
              << (response.complete() ? ")" : "; stopped at the deadline, so partial)") << "\n";
  }
}

std::string Number(double value) { return absl::StrFormat("%.3f", value); }

// Runs gnuplot on `script` (with `data` written beside it as data.tsv),
// drawing into `output` (.svg or .png). Returns an error message or "".
std::string Draw(const std::string& data, const std::string& script, const std::string& output) {
  const std::string extension = absl::AsciiStrToLower(fs::path(output).extension().string());
  std::string terminal;
  if (extension == ".svg") {
    terminal = "set terminal svg size 1000,700 dynamic enhanced font 'sans,10' background 'white'";
  } else if (extension == ".png") {
    terminal = "set terminal png size 1000,700";
  } else {
    return "--plot must name a .svg or .png file";
  }
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) / absl::StrCat("biocorpus-plot-", getpid());
  fs::create_directories(dir, ec);
  if (ec) return absl::StrCat("cannot create ", dir.string(), ": ", ec.message());
  std::ofstream(dir / "data.tsv") << data;
  const std::string absolute = fs::absolute(output).string();
  std::ofstream(dir / "plot.gp") << terminal << "\nset output '"
                                 << absl::StrReplaceAll(absolute, {{"'", "''"}}) << "'\n"
                                 << "set datafile separator '\\t'\n"
                                 << script;
  const std::string command =
      absl::StrCat("cd '", dir.string(), "' && gnuplot plot.gp 2>gnuplot.err");
  const int status = std::system(command.c_str());
  std::string message;
  if (status != 0) {
    std::ifstream err(dir / "gnuplot.err");
    std::stringstream text;
    text << err.rdbuf();
    message = absl::StrCat("gnuplot failed (is it installed? Debian: gnuplot-nox): ", text.str());
  }
  fs::remove_all(dir, ec);
  return message;
}

// A name gnuplot prints as it is (its enhanced text mode reads _ and ^).
std::string PlotLabel(const std::string& s) {
  return absl::StrReplaceAll(s, {{"_", "\\\\_"}, {"^", "\\\\^"}, {"\t", " "}});
}

}  // namespace

int Counts() {
  v1::CountConceptsRequest request;
  std::string error;
  if (!SetFilters(&request, &error)) return Fail(error);
  const std::string by = absl::AsciiStrToUpper(absl::GetFlag(FLAGS_by));
  v1::CountConceptsRequest::GroupBy group_by;
  if (!v1::CountConceptsRequest::GroupBy_Parse(by, &group_by) ||
      group_by == v1::CountConceptsRequest::GROUP_BY_UNSPECIFIED) {
    return Fail("--by must be concept, category, year, format, language or source_tag");
  }
  request.set_group_by(group_by);
  v1::ConceptCategory group_category;
  if (!ParseCategory(absl::GetFlag(FLAGS_group_category), &group_category)) {
    return Fail("--group_category must be a ConceptCategory such as topic");
  }
  if (group_category != v1::CONCEPT_CATEGORY_UNSPECIFIED ||
      !absl::GetFlag(FLAGS_group_concepts).empty()) {
    v1::ConceptSet* set = request.mutable_group_concepts();
    set->set_category(group_category);
    for (const std::string& c : absl::GetFlag(FLAGS_group_concepts)) set->add_concepts(c);
    set->set_include_descendants(absl::GetFlag(FLAGS_descendants));
  }
  request.set_top_n(absl::GetFlag(FLAGS_top));
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::CountConceptsResponse response;
  const grpc::Status status = stub->CountConcepts(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {absl::AsciiStrToLower(by), "passages", "documents", "label"}};
  for (const v1::ConceptGroupCount& g : response.groups()) {
    rows.push_back({g.key().empty() ? "(none)" : g.key(), absl::StrCat(g.passage_count()),
                    absl::StrCat(g.document_count()), g.concept().label()});
  }
  const int others = response.group_count() - response.groups_size();
  if (others > 0) {
    rows.push_back({absl::StrCat("(", others, " more)"), absl::StrCat(response.other_passage_count()),
                    absl::StrCat(response.other_document_count()), ""});
  }
  rows.push_back({"(all)", absl::StrCat(response.total_passages()),
                  absl::StrCat(response.total_documents()), ""});
  Print(rows);
  SayHow(response);
  return 0;
}

int Trends() {
  const std::vector<std::string> concepts = absl::GetFlag(FLAGS_concepts);
  if (concepts.empty()) return Fail("trends: give --concepts=ID[,ID...]");
  auto stub = v1::QueryService::NewStub(Connect());
  std::map<int, std::map<std::string, int64_t>> by_year;
  for (const std::string& c : concepts) {
    v1::CountConceptsRequest request;
    std::string error;
    if (!SetFilters(&request, &error, /*with_concepts=*/false)) return Fail(error);
    request.add_concepts(c);
    request.set_group_by(v1::CountConceptsRequest::YEAR);
    grpc::ClientContext context;
    v1::CountConceptsResponse response;
    const grpc::Status status = stub->CountConcepts(&context, request, &response);
    if (!status.ok()) return Fail(status.error_message());
    SayHow(response);
    for (const v1::ConceptGroupCount& g : response.groups()) {
      by_year[std::atoi(g.key().c_str())][c] = g.passage_count();
    }
  }
  by_year.erase(0);  // Documents of unknown year have no place on a time line.
  if (!by_year.empty()) {
    // Every year between the first and the last, zeros included.
    for (int y = by_year.begin()->first; y <= by_year.rbegin()->first; ++y) by_year[y];
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"year"});
  rows[0].insert(rows[0].end(), concepts.begin(), concepts.end());
  std::string data = absl::StrCat("year\t", absl::StrJoin(concepts, "\t", [](std::string* out, const std::string& c) {
                                    out->append(PlotLabel(c));
                                  }),
                                  "\n");
  for (const auto& [year, counts] : by_year) {
    std::vector<std::string>& row = rows.emplace_back();
    row.push_back(absl::StrCat(year));
    for (const std::string& c : concepts) {
      auto it = counts.find(c);
      row.push_back(absl::StrCat(it == counts.end() ? 0 : it->second));
    }
    data += absl::StrJoin(row, "\t") + "\n";
  }
  Print(rows);
  const std::string plot = absl::GetFlag(FLAGS_plot);
  if (!plot.empty()) {
    if (by_year.empty()) return Fail("trends: nothing to draw (no passage has a year)");
    const std::string script = absl::StrCat(
        "set title 'Passages per year'\nset xlabel 'year'\nset ylabel 'passages'\n"
        "set key outside right top\nset xtics 1\nset grid ytics\nset yrange [0:*]\n"
        "plot for [i=2:", concepts.size() + 1,
        "] 'data.tsv' using 1:i with linespoints lw 2 title columnheader(i)\n");
    if (std::string error = Draw(data, script, plot); !error.empty()) return Fail(error);
    std::cerr << "drew " << plot << "\n";
  }
  return 0;
}

int Cooccur() {
  v1::CooccurringConceptsRequest request;
  std::string error;
  if (!SetFilters(&request, &error)) return Fail(error);
  auto set_of = [&](const std::vector<std::string>& ids, const std::string& category_flag,
                    const char* name, v1::ConceptSet* set) {
    v1::ConceptCategory category;
    if (!ParseCategory(category_flag, &category)) {
      error = absl::StrCat("--", name, "_category must be a ConceptCategory such as topic");
      return false;
    }
    set->set_category(category);
    for (const std::string& c : ids) set->add_concepts(c);
    set->set_include_descendants(absl::GetFlag(FLAGS_descendants));
    return true;
  };
  if (!set_of(absl::GetFlag(FLAGS_rows), absl::GetFlag(FLAGS_row_category), "row",
              request.mutable_rows()) ||
      !set_of(absl::GetFlag(FLAGS_columns), absl::GetFlag(FLAGS_column_category), "column",
              request.mutable_columns())) {
    return Fail(error);
  }
  const std::string unit = absl::AsciiStrToLower(absl::GetFlag(FLAGS_unit));
  if (unit != "passage" && unit != "document") return Fail("--unit must be passage or document");
  request.set_unit(unit == "document" ? v1::CooccurringConceptsRequest::DOCUMENT
                                      : v1::CooccurringConceptsRequest::PASSAGE);
  v1::CooccurringConceptsRequest::OrderBy order;
  if (!v1::CooccurringConceptsRequest::OrderBy_Parse(
          absl::AsciiStrToUpper(absl::GetFlag(FLAGS_order)), &order)) {
    return Fail("--order must be count, npmi or log_likelihood");
  }
  request.set_order_by(order);
  request.set_by_year(absl::GetFlag(FLAGS_by_year));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_min_count(absl::GetFlag(FLAGS_min_count));
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::CooccurringConceptsResponse response;
  const grpc::Status status = stub->CooccurringConcepts(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"row", "column", "count", "expected", "npmi", "log_likelihood"}};
  if (request.by_year()) rows[0].push_back("by year");
  for (const v1::ConceptPair& p : response.pairs()) {
    std::vector<std::string>& row = rows.emplace_back();
    row = {p.row(), p.column(), absl::StrCat(p.count()), Number(p.expected()), Number(p.npmi()),
           Number(p.log_likelihood())};
    if (request.by_year()) {
      std::vector<std::string> years;
      for (const v1::YearCooccurrence& y : p.years()) years.push_back(absl::StrCat(y.year(), ":", y.count()));
      row.push_back(absl::StrJoin(years, " "));
    }
  }
  Print(rows);
  std::cerr << response.pair_count() << " pairs over " << response.total() << " " << unit
            << "s\n";
  SayHow(response);
  const std::string plot = absl::GetFlag(FLAGS_plot);
  if (!plot.empty()) {
    if (response.pairs().empty()) return Fail("cooccur: no pair to draw");
    // The pairs' rows and columns, in the order they first come.
    std::vector<std::string> row_ids, column_ids;
    std::map<std::pair<std::string, std::string>, int64_t> counts;
    for (const v1::ConceptPair& p : response.pairs()) {
      if (std::find(row_ids.begin(), row_ids.end(), p.row()) == row_ids.end()) row_ids.push_back(p.row());
      if (std::find(column_ids.begin(), column_ids.end(), p.column()) == column_ids.end()) {
        column_ids.push_back(p.column());
      }
      counts[{p.row(), p.column()}] = p.count();
    }
    // One line per (column, row) cell with its count, and tic labels.
    std::string data;
    for (size_t r = 0; r < row_ids.size(); ++r) {
      for (size_t c = 0; c < column_ids.size(); ++c) {
        auto it = counts.find({row_ids[r], column_ids[c]});
        absl::StrAppend(&data, c, "\t", r, "\t", it == counts.end() ? 0 : it->second, "\n");
      }
      data += "\n";
    }
    auto tics = [](const std::vector<std::string>& ids) {
      std::vector<std::string> out;
      for (size_t i = 0; i < ids.size(); ++i) {
        out.push_back(absl::StrCat("\"", PlotLabel(ids[i]), "\" ", i));
      }
      return absl::StrJoin(out, ", ");
    };
    const std::string script = absl::StrCat(
        "set title 'Co-occurring concepts (", unit, "s)'\nunset key\nset view map\n",
        "set xtics rotate by 45 right (", tics(column_ids), ")\n", "set ytics (", tics(row_ids),
        ")\nset xrange [-0.5:", column_ids.size() - 0.5, "]\nset yrange [", row_ids.size() - 0.5,
        ":-0.5]\nset palette defined (0 '#ffffff', 1 '#9ecae1', 2 '#08519c')\n"
        "set cblabel 'count'\nset bmargin 12\nset lmargin 28\n"
        "plot 'data.tsv' using 1:2:3 with image, '' using 1:2:($3 > 0 ? sprintf('%d', $3) : '') "
        "with labels\n");
    if (std::string error = Draw(data, script, plot); !error.empty()) return Fail(error);
    std::cerr << "drew " << plot << "\n";
  }
  return 0;
}

int Significant() {
  v1::SignificantConceptsRequest request;
  std::string error;
  if (!SetFilters(&request, &error)) return Fail(error);
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_min_count(absl::GetFlag(FLAGS_min_count));
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  v1::SignificantConceptsResponse response;
  const grpc::Status status = stub->SignificantConcepts(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"concept", "foreground", "corpus", "log_likelihood", "lift", "label"}};
  for (const v1::SignificantConcept& c : response.concepts()) {
    rows.push_back({c.concept().id(), absl::StrCat(c.foreground_count()),
                    absl::StrCat(c.background_count()), Number(c.score()), Number(c.lift()),
                    c.concept().label()});
  }
  Print(rows);
  std::cerr << response.foreground_total() << " passages selected of "
            << response.background_total() << "\n";
  SayHow(response);
  return 0;
}

int Export(const std::vector<char*>& args) {
  const std::string format = absl::AsciiStrToLower(absl::GetFlag(FLAGS_format));
  if (!format.empty() && format != "bioc-json" && format != "bioc_json") {
    return Fail("export: --format must be bioc-json (documents by format: --document_format)");
  }
  v1::ExportDocumentsRequest request;
  for (size_t i = 2; i < args.size(); ++i) request.add_names(args[i]);
  v1::DocumentFormat document_format;
  if (!ParseFormat(absl::GetFlag(FLAGS_document_format), &document_format)) {
    return Fail("--document_format must be citation_record, mirrored_article or plain_abstract");
  }
  request.set_format(document_format);
  request.set_year_min(absl::GetFlag(FLAGS_year_min));
  request.set_year_max(absl::GetFlag(FLAGS_year_max));
  request.set_author(absl::GetFlag(FLAGS_author));
  request.set_language(absl::GetFlag(FLAGS_language));
  request.set_source_tag(absl::GetFlag(FLAGS_source_tag));
  const std::string path = absl::GetFlag(FLAGS_output);
  std::ofstream file;
  if (!path.empty()) {
    file.open(path);
    if (!file) return Fail(absl::StrCat("cannot write ", path));
  }
  std::ostream& out = path.empty() ? std::cout : file;
  auto stub = v1::QueryService::NewStub(Connect());
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::ExportDocumentsResponse>> reader =
      stub->ExportDocuments(&context, request);
  v1::ExportDocumentsResponse message;
  // The collection comes first, with an empty documents list that the
  // documents go into.
  const std::string empty_list = "\"documents\":[]";
  std::string after;  // What follows the documents list.
  int documents = 0;
  while (reader->Read(&message)) {
    if (!message.collection().empty()) {
      const size_t at = message.collection().find(empty_list);
      if (at == std::string::npos) return Fail("export: the collection has no documents list");
      out << message.collection().substr(0, at) << "\"documents\":[";
      after = "]" + message.collection().substr(at + empty_list.size());
    }
    if (!message.document().empty()) {
      out << (documents++ == 0 ? "\n" : ",\n") << message.document();
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return Fail(status.error_message());
  out << "\n" << after << "\n";
  if (!out) return Fail(absl::StrCat("cannot write ", path.empty() ? "the output" : path));
  std::cerr << "exported " << documents << " documents as BioC JSON (offsets in code points)"
            << (path.empty() ? "" : absl::StrCat(" to ", path)) << "\n";
  return 0;
}

}  // namespace biocorpus::cli
