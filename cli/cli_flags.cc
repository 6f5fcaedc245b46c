#include "cli/cli_flags.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "HOST:PORT of the service to call (ingest service for ingest, "
          "delete, retag and publish, query service for the rest)");
ABSL_FLAG(std::string, token_file, "",
          "ingest, delete, retag, publish: file holding the ingest token; default: "
          "$BIOCORPUS_INGEST_TOKEN");
ABSL_FLAG(std::string, tls_ca_file, "",
          "connect with TLS, trusting this PEM CA (default: plaintext)");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM client certificate for mutual TLS");
ABSL_FLAG(std::string, tls_key_file, "", "PEM key of --tls_cert_file");
ABSL_FLAG(std::string, format, "",
          "ingest: citation_record, mirrored_article or plain_abstract; "
          "documents: only this format. Default: detect / all");
ABSL_FLAG(int, page_size, 0, "documents / passages: page size (0: default)");
ABSL_FLAG(bool, all_pages, true, "documents / passages: follow page tokens");
ABSL_FLAG(bool, json, false,
          "documents / passages: print JSON instead of one line per item");
ABSL_FLAG(std::vector<std::string>, concepts, {},
          "search: concept ids, comma-separated");
ABSL_FLAG(std::string, match, "any", "search: any or all of the concepts");
ABSL_FLAG(std::string, query, "",
          "search: a full-text query (words, \"phrases\", OR, NOT/-, (), title:, author:, "
          "journal:, prefix*), ranked by relevance");
ABSL_FLAG(int, facets, 10, "search --query: the N concepts with most results (0: no facets)");
ABSL_FLAG(bool, document_order, false, "search --query: document order instead of relevance");
ABSL_FLAG(bool, descendants, false, "search: include narrower concepts");
ABSL_FLAG(std::string, category, "",
          "search / tags: a concept category (topic, legislation, organization, "
          "person, location, technology, pathogen)");
ABSL_FLAG(int, top, 0, "tags: only the N concepts on most documents (0: all used)");
ABSL_FLAG(bool, force, false, "retag: re-tag every document");
ABSL_FLAG(std::string, doi, "", "cite / citing: a DOI in any spelling");
ABSL_FLAG(std::string, url, "", "cite / citing: a URL");
ABSL_FLAG(std::string, title, "", "cite: a title, its beginning, or some of its words");
ABSL_FLAG(std::string, author, "", "cite: FAMILY or FAMILY:YEAR");
ABSL_FLAG(std::vector<std::string>, formats, {"apa"},
          "cite: renderings, any of apa, bibtex, ris, csl_json");
ABSL_FLAG(int, progress_every, 100,
          "ingest: print a progress line after this many documents");
ABSL_FLAG(int, year_min, 0, "counts / cooccur / trends / significant / export: from this year");
ABSL_FLAG(int, year_max, 0, "counts / cooccur / trends / significant / export: to this year");
ABSL_FLAG(std::string, language, "",
          "counts / cooccur / trends / significant / export: documents in this language (en, zh)");
ABSL_FLAG(std::string, source_tag, "",
          "counts / cooccur / trends / significant / export: documents with this source tag");
ABSL_FLAG(std::string, by, "concept",
          "counts: group by concept, category, year, format, language or source_tag");
ABSL_FLAG(std::string, group_category, "", "counts --by=concept: only concepts of this category");
ABSL_FLAG(std::vector<std::string>, group_concepts, {},
          "counts --by=concept: only these concepts (with --descendants, and those below them)");
ABSL_FLAG(std::vector<std::string>, rows, {}, "cooccur: the row concepts");
ABSL_FLAG(std::vector<std::string>, columns, {}, "cooccur: the column concepts");
ABSL_FLAG(std::string, row_category, "", "cooccur: every concept of this category as a row");
ABSL_FLAG(std::string, column_category, "",
          "cooccur: every concept of this category as a column");
ABSL_FLAG(std::string, unit, "passage", "cooccur: together in the same passage or document");
ABSL_FLAG(std::string, order, "count", "cooccur: order pairs by count, npmi or log_likelihood");
ABSL_FLAG(bool, by_year, false, "cooccur: each pair by year too");
ABSL_FLAG(int64_t, min_count, 0, "cooccur / significant: leave out smaller counts");
ABSL_FLAG(bool, csv, false, "counts / cooccur / trends / significant: print CSV");
ABSL_FLAG(std::string, plot, "",
          "cooccur / trends: also draw a heatmap / trend chart into this .svg or .png file "
          "(with gnuplot)");
ABSL_FLAG(std::string, output, "", "export: write to this file (default: standard output)");
ABSL_FLAG(std::string, document_format, "",
          "export: only documents of this format (citation_record, mirrored_article, "
          "plain_abstract)");
