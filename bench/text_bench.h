#ifndef BIOCORPUS_BENCH_TEXT_BENCH_H_
#define BIOCORPUS_BENCH_TEXT_BENCH_H_

// The full-text search benchmark commands of biocorpus-bench (see
// bench_main.cc); each prints key=value lines.

#include <string>

namespace biocorpus::bench {

// Writes `count` queries drawn from the documents under `dir` to `out`, one
// per line as "concept<TAB>query" ("-" for no concept filter): one to four
// words, quoted phrases, Chinese runs, a third of them with a concept.
int TextQueries(const std::string& dir, const std::string& out, int count);

// In-process: writes the documents with and without the text index (the
// index's cost), then runs the queries (top 20) on the search core.
int TextCore(const std::string& dir, const std::string& queries, const std::string& work);

// The same documents and queries in SQLite FTS5 (unicode61, bm25()).
int TextSqlite(const std::string& dir, const std::string& queries, const std::string& work);

// The queries over gRPC against a query service, `concurrency` at once.
int TextGrpc(const std::string& target, const std::string& queries, int seconds,
             int concurrency);

}  // namespace biocorpus::bench

#endif  // BIOCORPUS_BENCH_TEXT_BENCH_H_
