// The full-text benchmark commands (about 470 lines): they share the query
// set, the prepared documents and the timing loop.

#include "bench/text_bench.h"

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bench/bench_util.h"
#include "biocorpus/v1/query_service.grpc.pb.h"
#include "corpus/search/text_index.h"
#include "corpus/search/text_tokenizer.h"
#include "corpus/storage/corpus_db.h"
#include "ingest_service/pipeline/stream_ingester.h"
#include "query_service/search/full_text_search.h"
#include "query_service/store/replica.h"
#include "rocksdb/db.h"

namespace biocorpus::bench {
namespace {

struct TextQuery {
  std::string concept;  // Empty: no concept filter.
  std::string text;
};

std::vector<TextQuery> ReadQueries(const std::string& file) {
  std::vector<TextQuery> queries;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    TextQuery& q = queries.emplace_back();
    q.concept = line.substr(0, tab) == "-" ? "" : line.substr(0, tab);
    q.text = line.substr(tab + 1);
  }
  return queries;
}

// A deterministic generator (the queries are the same in every run).
struct Random {
  uint64_t state = 42;
  uint64_t Next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

// Words too common to make a query of.
bool IsStopWord(const std::string& w) {
  static const std::set<std::string>* const kStop = new std::set<std::string>{
      "about", "after", "also", "been", "before", "being", "between", "both", "could", "does",
      "down", "each", "first", "from", "have", "into", "its", "made", "many", "more", "most",
      "must", "only", "other", "over", "same", "should", "some", "such", "than", "that", "their",
      "them", "then", "there", "these", "they", "this", "those", "through", "under", "very",
      "were", "what", "when", "where", "which", "while", "will", "with", "would", "your", "and",
      "for", "the", "may", "can", "not", "are", "was", "has", "but", "who", "how", "all", "any"};
  return kStop->count(w) > 0;
}

bool IsWord(const TextToken& t) {
  return !t.cjk && t.exact.size() >= 4 && !IsStopWord(t.exact) &&
         std::any_of(t.exact.begin(), t.exact.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
         t.exact.find('\'') == std::string::npos;
}

// Every content under `dir`, prepared with tags (all of them, 2 threads).
absl::StatusOr<std::vector<PreparedInput>> PrepareDir(const std::string& dir,
                                                      const ConceptTagger* tagger,
                                                      size_t every = 1) {
  std::vector<std::string> contents;
  size_t i = 0;
  for (const auto& path : Files(dir)) {
    if (i++ % every == 0) contents.push_back(ReadFile(path));
  }
  const IngestPipeline pipeline(IngestPipelineOptions(), tagger, nullptr);
  return PrepareAll(pipeline, contents, StreamIngesterOptions().parsers);
}

// Latencies of running `run` over the queries on `threads` threads for at
// least `seconds` (every query at least once per thread), but for at most
// kMaxMeasureSeconds: a peer whose slowest queries take longer answers fewer
// of them, which `completed` shows.
constexpr double kMaxMeasureSeconds = 60;

struct Timing {
  double qps = 0;
  // Queries answered, of queries x threads at least.
  int64_t completed = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t failed = 0;
};
template <typename Run>
Timing Measure(const std::vector<TextQuery>& queries, int threads, double seconds, Run run) {
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<int64_t> failed{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<double> own;
      for (size_t n = 0; (n < queries.size() || Seconds(start) < seconds) &&
                         Seconds(start) < kMaxMeasureSeconds;
           ++n) {
        const TextQuery& q = queries[(n + static_cast<size_t>(t) * 7) % queries.size()];
        const auto began = Clock::now();
        if (!run(t, q)) ++failed;
        own.push_back(Seconds(began) * 1000);
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), own.begin(), own.end());
    });
  }
  for (std::thread& w : workers) w.join();
  Timing timing;
  timing.qps = static_cast<double>(latencies.size()) / Seconds(start);
  timing.p50_ms = Percentile(latencies, 50);
  timing.p99_ms = Percentile(latencies, 99);
  timing.failed = failed.load();
  timing.completed = static_cast<int64_t>(latencies.size());
  return timing;
}

void PrintTiming(const std::string& prefix, const Timing& t) {
  std::cout << prefix << "_qps=" << t.qps << "\n"
            << prefix << "_p50_ms=" << t.p50_ms << "\n"
            << prefix << "_p99_ms=" << t.p99_ms << "\n"
            << prefix << "_failed=" << t.failed << "\n"
            << prefix << "_completed=" << t.completed << "\n";
}

// Writes the prepared documents in stream-window groups; documents/s.
absl::StatusOr<double> WriteAll(std::vector<PreparedInput> prepared, const std::string& path,
                                bool text_index) {
  std::filesystem::remove_all(path);
  DocumentWriterOptions options;
  options.data_dir = path;
  options.sync_writes = true;
  options.text_index = text_index;
  absl::StatusOr<std::unique_ptr<DocumentWriter>> writer = DocumentWriter::Open(options);
  if (!writer.ok()) return writer.status();
  const size_t window = StreamIngesterOptions().window;
  const auto start = Clock::now();
  for (size_t first = 0; first < prepared.size(); first += window) {
    std::vector<std::vector<ParsedDocument>> group;
    for (size_t i = first; i < std::min(prepared.size(), first + window); ++i) {
      group.push_back(std::move(*prepared[i].documents));
    }
    for (auto& written : (*writer)->WriteGroup(std::move(group))) {
      if (!written.ok()) return written.status();
    }
  }
  const double rate = static_cast<double>(prepared.size()) / Seconds(start);
  if (absl::Status s = (*writer)->Close(); !s.ok()) return s;
  return rate;
}

// The bytes of the text index once compacted.
absl::StatusOr<uint64_t> TextIndexBytes(const std::string& path) {
  CorpusDbOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
  if (!db.ok()) return db.status();
  rocksdb::DB* raw = (*db)->db();
  rocksdb::ColumnFamilyHandle* text = (*db)->families().text;
  raw->Flush(rocksdb::FlushOptions(), text).PermitUncheckedError();
  raw->CompactRange(rocksdb::CompactRangeOptions(), text, nullptr, nullptr)
      .PermitUncheckedError();
  uint64_t bytes = 0;
  raw->GetIntProperty(text, "rocksdb.total-sst-files-size", &bytes);
  if (absl::Status s = (*db)->Close(); !s.ok()) return s;
  return bytes;
}

// A query in FTS5's syntax: every word and phrase quoted.
std::string Fts5Query(const std::string& text) {
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(" "), absl::SkipEmpty())) {
    parts.push_back(absl::StrCat("\"", absl::StrReplaceAll(part, {{"\"", ""}}), "\""));
  }
  // A quoted phrase of the query was split above: join it back.
  if (!text.empty() && text.front() == '"') {
    return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", ""}}), "\"");
  }
  return absl::StrJoin(parts, " ");
}

// A concept id as one unicode61 token: its letters and digits after a "c".
std::string ConceptToken(absl::string_view concept) {
  std::string token = "c";
  for (char c : concept) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) token += absl::ascii_tolower(c);
  }
  return token;
}

// The queries and the documents under `dir`, prepared with tags.
absl::Status Load(const std::string& dir, const std::string& queries_file,
                  std::vector<TextQuery>* queries, std::vector<PreparedInput>* prepared) {
  *queries = ReadQueries(queries_file);
  if (queries->empty()) return absl::InvalidArgumentError("no queries in " + queries_file);
  std::unique_ptr<ConceptTagger> tagger = MakeTagger();
  if (tagger == nullptr) return absl::InternalError("the built-in vocabulary does not build");
  absl::StatusOr<std::vector<PreparedInput>> all = PrepareDir(dir, tagger.get());
  if (!all.ok()) return all.status();
  *prepared = std::move(*all);
  return absl::OkStatus();
}

}  // namespace

int TextQueries(const std::string& dir, const std::string& out, int count) {
  std::unique_ptr<ConceptTagger> tagger = MakeTagger();
  if (tagger == nullptr) return Fail("cannot build the built-in vocabulary's tagger");
  absl::StatusOr<std::vector<PreparedInput>> prepared = PrepareDir(dir, tagger.get());
  if (!prepared.ok()) return Fail(prepared.status().ToString());
  struct Candidate {
    std::vector<TextToken> tokens;
    std::string concept;
  };
  std::vector<Candidate> latin, cjk;
  for (const PreparedInput& input : *prepared) {
    for (const ParsedDocument& document : *input.documents) {
      for (const v1::Passage& passage : document.passages) {
        Candidate c;
        c.tokens = Tokenize(passage.text());
        if (passage.annotations_size() > 0) c.concept = passage.annotations(0).concept();
        const size_t han = std::count_if(c.tokens.begin(), c.tokens.end(),
                                         [](const TextToken& t) { return t.cjk; });
        if (han >= 6) {
          cjk.push_back(std::move(c));
        } else if (std::count_if(c.tokens.begin(), c.tokens.end(), IsWord) >= 6) {
          latin.push_back(std::move(c));
        }
      }
    }
  }
  if (latin.empty()) return Fail("no passages to draw queries from");
  Random random;
  std::ofstream file(out);
  for (int i = 0; i < count; ++i) {
    const int kind = i % 6;
    std::string text;
    const Candidate* from = nullptr;
    if (kind == 5 && !cjk.empty()) {
      from = &cjk[random.Below(cjk.size())];
      // A run of 2 or 3 consecutive characters.
      const size_t length = 2 + random.Below(2);
      for (size_t tries = 0; tries < 50 && text.empty(); ++tries) {
        const size_t start = random.Below(from->tokens.size());
        std::string run;
        for (size_t k = start; k < start + length && k < from->tokens.size() && from->tokens[k].cjk &&
                               (k == start || from->tokens[k].start == from->tokens[k - 1].end);
             ++k) {
          run += from->tokens[k].exact;
        }
        if (run.size() == 3 * length) text = run;
      }
    }
    if (text.empty()) {
      from = &latin[random.Below(latin.size())];
      std::vector<std::string> words;
      for (const TextToken& t : from->tokens) {
        if (IsWord(t)) words.push_back(t.exact);
      }
      const size_t length = kind == 4 ? 2 + random.Below(2) : static_cast<size_t>(std::min(kind, 3) + 1);
      const size_t start = random.Below(words.size() - std::min(words.size(), length) + 1);
      std::vector<std::string> chosen(words.begin() + start,
                                      words.begin() + std::min(words.size(), start + length));
      text = absl::StrJoin(chosen, " ");
      if (kind == 4) text = absl::StrCat("\"", text, "\"");
    }
    const std::string concept = i % 3 == 2 && !from->concept.empty() ? from->concept : "-";
    file << concept << "\t" << text << "\n";
  }
  std::cout << "text_queries=" << count << "\n";
  return 0;
}

int TextCore(const std::string& dir, const std::string& queries_file, const std::string& work) {
  std::vector<TextQuery> queries;
  std::optional<std::vector<PreparedInput>> prepared;
  prepared.emplace();
  if (absl::Status s = Load(dir, queries_file, &queries, &*prepared); !s.ok()) {
    return Fail(s.ToString());
  }
  std::vector<PreparedInput> copy;
  // Where the index's write cost goes: turning documents into postings
  // (tokenizing, folding, stemming), one thread.
  const auto terms_start = Clock::now();
  size_t postings = 0;
  for (const PreparedInput& p : *prepared) {
    PreparedInput& c = copy.emplace_back();
    c.documents = *p.documents;
    for (const ParsedDocument& d : *p.documents) postings += TermsOf(d.document, d.passages).postings.size();
  }
  const double terms_seconds = Seconds(terms_start);
  const auto tokenize_start = Clock::now();
  size_t tokens = 0;
  for (const PreparedInput& p : *prepared) {
    for (const ParsedDocument& d : *p.documents) {
      for (const v1::Passage& passage : d.passages) tokens += Tokenize(passage.text()).size();
    }
  }
  std::cout << "tokenize_us_per_doc=" << Seconds(tokenize_start) * 1e6 / static_cast<double>(prepared->size())
            << "\ntokens_per_doc=" << static_cast<double>(tokens) / prepared->size() << "\n";
  std::cout << "terms_us_per_doc=" << terms_seconds * 1e6 / static_cast<double>(prepared->size())
            << "\nterms_keys_per_doc=" << static_cast<double>(postings) / prepared->size() << "\n";
  std::filesystem::create_directories(work);
  absl::StatusOr<double> plain = WriteAll(std::move(copy), work + "/plain", false);
  if (!plain.ok()) return Fail(plain.status().ToString());
  absl::StatusOr<double> indexed = WriteAll(std::move(*prepared), work + "/text", true);
  if (!indexed.ok()) return Fail(indexed.status().ToString());
  absl::StatusOr<uint64_t> bytes = TextIndexBytes(work + "/text");
  if (!bytes.ok()) return Fail(bytes.status().ToString());
  std::cout << "core_documents=" << Files(dir).size() << "\nwrite_plain_docs_per_s=" << *plain
            << "\nwrite_text_docs_per_s=" << *indexed << "\ntext_index_bytes=" << *bytes << "\n";
  std::filesystem::remove_all(work + "/plain");

  ReplicaOptions options;
  options.data_dir = work + "/text";
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(options);
  if (!replica.ok()) return Fail(replica.status().ToString());
  std::vector<FullTextRequest> requests;
  for (const TextQuery& q : queries) {
    absl::StatusOr<QueryNode> node = ParseQuery(q.text);
    if (!node.ok()) return Fail(absl::StrCat(q.text, ": ", node.status().ToString()));
    FullTextRequest& r = requests.emplace_back();
    r.query = std::move(*node);
    if (!q.concept.empty()) r.filters.groups.push_back({q.concept});
    r.page_size = 20;
  }
  int64_t matched = 0;
  for (const FullTextRequest& r : requests) {
    absl::StatusOr<FullTextPage> page =
        SearchFullText((*replica)->reader(), r, Clock::now() + std::chrono::minutes(1));
    if (page.ok()) matched += page->total_size;
  }
  std::cout << "core_mean_total_size=" << static_cast<double>(matched) / requests.size() << "\n";
  const Timing timing = Measure(queries, 2, 5.0, [&](int, const TextQuery& q) {
    const size_t n = static_cast<size_t>(&q - queries.data());
    return SearchFullText((*replica)->reader(), requests[n], Clock::now() + std::chrono::minutes(1))
        .ok();
  });
  PrintTiming("core", timing);
  return 0;
}

int TextSqlite(const std::string& dir, const std::string& queries_file, const std::string& work) {
  std::vector<TextQuery> queries;
  std::optional<std::vector<PreparedInput>> prepared;
  prepared.emplace();
  if (absl::Status s = Load(dir, queries_file, &queries, &*prepared); !s.ok()) {
    return Fail(s.ToString());
  }
  std::filesystem::create_directories(work);
  const std::string path = work + "/fts5.db";
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return Fail("cannot open " + path);
  auto exec = [&](const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
  exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  // The concept filter as FTS5 users write one: the passage's concepts in a
  // column of their own (one token each), weighted 0 in bm25().
  if (exec("CREATE VIRTUAL TABLE p USING fts5(text, concepts, tokenize='unicode61');") !=
      SQLITE_OK) {
    return Fail(sqlite3_errmsg(db));
  }
  const auto start = Clock::now();
  exec("BEGIN");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO p(text, concepts) VALUES (?1, ?2)", -1, &insert, nullptr);
  for (const PreparedInput& input : *prepared) {
    for (const ParsedDocument& document : *input.documents) {
      for (const v1::Passage& passage : document.passages) {
        std::set<std::string> once;
        for (const v1::Annotation& a : passage.annotations()) once.insert(ConceptToken(a.concept()));
        const std::string concepts = absl::StrJoin(once, " ");
        sqlite3_bind_text(insert, 1, passage.text().data(), static_cast<int>(passage.text().size()),
                          SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, concepts.data(), static_cast<int>(concepts.size()),
                          SQLITE_STATIC);
        sqlite3_step(insert);
        sqlite3_reset(insert);
      }
    }
  }
  sqlite3_finalize(insert);
  exec("COMMIT; INSERT INTO p(p) VALUES ('optimize');");
  const double load = static_cast<double>(prepared->size()) / Seconds(start);
  sqlite3_close(db);
  std::cout << "sqlite_load_docs_per_s=" << load << "\nsqlite_file_bytes="
            << std::filesystem::file_size(path) << "\n";

  std::vector<sqlite3*> connections(2, nullptr);
  std::vector<sqlite3_stmt*> statements(2, nullptr);
  Clock::time_point measure_start = Clock::now();
  for (int t = 0; t < 2; ++t) {
    sqlite3_open_v2(path.c_str(), &connections[t], SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                    nullptr);
    sqlite3_prepare_v2(connections[t],
                       "SELECT rowid, text, bm25(p, 1.0, 0.0) FROM p WHERE p MATCH ?1 "
                       "ORDER BY bm25(p, 1.0, 0.0) LIMIT 20",
                       -1, &statements[t], nullptr);
    // A query still running when the measurement's window closes is cut
    // short and counted as failed, so that the run ends on time.
    sqlite3_progress_handler(
        connections[t], 10000,
        [](void* begun) {
          return Seconds(*static_cast<Clock::time_point*>(begun)) > kMaxMeasureSeconds + 5 ? 1 : 0;
        },
        &measure_start);
  }
  std::vector<std::string> fts;
  for (const TextQuery& q : queries) {
    fts.push_back(q.concept.empty() ? absl::StrCat("text : (", Fts5Query(q.text), ")")
                                    : absl::StrCat("text : (", Fts5Query(q.text), ") AND concepts : ",
                                                   ConceptToken(q.concept)));
  }
  measure_start = Clock::now();
  int64_t rows = 0;
  const Timing timing = Measure(queries, 2, 5.0, [&](int t, const TextQuery& q) {
    const size_t n = static_cast<size_t>(&q - queries.data());
    sqlite3_stmt* s = statements[t];
    sqlite3_bind_text(s, 1, fts[n].data(), static_cast<int>(fts[n].size()), SQLITE_STATIC);
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
      if (t == 0) ++rows;
    }
    sqlite3_reset(s);
    return step == SQLITE_DONE;
  });
  for (int t = 0; t < 2; ++t) {
    sqlite3_finalize(statements[t]);
    sqlite3_close(connections[t]);
  }
  PrintTiming("sqlite", timing);
  return 0;
}

int TextGrpc(const std::string& target, const std::string& queries_file, int seconds,
             int concurrency) {
  const std::vector<TextQuery> queries = ReadQueries(queries_file);
  if (queries.empty()) return Fail("no queries in " + queries_file);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::vector<std::unique_ptr<v1::QueryService::Stub>> stubs;
  for (int i = 0; i < concurrency; ++i) {
    // A channel each, as h2load and pgbench open a connection each.
    args.SetInt("grpc.channel_id", i);
    stubs.push_back(v1::QueryService::NewStub(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
  }
  const Timing timing = Measure(queries, concurrency, seconds, [&](int t, const TextQuery& q) {
    v1::SearchPassagesRequest request;
    request.set_query(q.text);
    if (!q.concept.empty()) request.add_concepts(q.concept);
    request.set_page_size(20);
    grpc::ClientContext context;
    v1::SearchPassagesResponse response;
    return stubs[t]->SearchPassages(&context, request, &response).ok();
  });
  PrintTiming("grpc", timing);
  return 0;
}

}  // namespace biocorpus::bench
