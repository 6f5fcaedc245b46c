#ifndef BIOCORPUS_CLI_CLI_FLAGS_H_
#define BIOCORPUS_CLI_CLI_FLAGS_H_

// The flags of the biocorpus command (defined in cli_flags.cc).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, target);
ABSL_DECLARE_FLAG(std::string, token_file);
ABSL_DECLARE_FLAG(std::string, tls_ca_file);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(int, page_size);
ABSL_DECLARE_FLAG(bool, all_pages);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::vector<std::string>, concepts);
ABSL_DECLARE_FLAG(std::string, match);
ABSL_DECLARE_FLAG(std::string, query);
ABSL_DECLARE_FLAG(int, facets);
ABSL_DECLARE_FLAG(bool, document_order);
ABSL_DECLARE_FLAG(bool, descendants);
ABSL_DECLARE_FLAG(std::string, category);
ABSL_DECLARE_FLAG(int, top);
ABSL_DECLARE_FLAG(bool, force);
ABSL_DECLARE_FLAG(std::string, doi);
ABSL_DECLARE_FLAG(std::string, url);
ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::string, author);
ABSL_DECLARE_FLAG(std::vector<std::string>, formats);
ABSL_DECLARE_FLAG(int, progress_every);
ABSL_DECLARE_FLAG(int, year_min);
ABSL_DECLARE_FLAG(int, year_max);
ABSL_DECLARE_FLAG(std::string, language);
ABSL_DECLARE_FLAG(std::string, source_tag);
ABSL_DECLARE_FLAG(std::string, by);
ABSL_DECLARE_FLAG(std::string, group_category);
ABSL_DECLARE_FLAG(std::vector<std::string>, group_concepts);
ABSL_DECLARE_FLAG(std::vector<std::string>, rows);
ABSL_DECLARE_FLAG(std::vector<std::string>, columns);
ABSL_DECLARE_FLAG(std::string, row_category);
ABSL_DECLARE_FLAG(std::string, column_category);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(std::string, order);
ABSL_DECLARE_FLAG(bool, by_year);
ABSL_DECLARE_FLAG(int64_t, min_count);
ABSL_DECLARE_FLAG(bool, csv);
ABSL_DECLARE_FLAG(std::string, plot);
ABSL_DECLARE_FLAG(std::string, output);
ABSL_DECLARE_FLAG(std::string, document_format);

#endif  // BIOCORPUS_CLI_CLI_FLAGS_H_
