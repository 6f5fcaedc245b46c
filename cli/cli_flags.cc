#include "cli/cli_flags.h"

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
