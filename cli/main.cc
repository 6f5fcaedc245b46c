// biocorpus: the command-line client of the ingest and query services.
//
//   biocorpus ingest    --target=HOST:PORT [--format=F] PATH...
//   biocorpus delete    --target=HOST:PORT documents/ID...
//   biocorpus get       --target=HOST:PORT documents/ID
//   biocorpus documents --target=HOST:PORT [--page_size=N] [--format=F]
//   biocorpus passages  --target=HOST:PORT documents/ID
//   biocorpus search    --target=HOST:PORT [--query=Q] [--concepts=ID[,ID]]
//                       [--match=all] [--descendants] [--category=C]
//   biocorpus tags      --target=HOST:PORT [--category=C] [--top=N]
//   biocorpus summary   --target=HOST:PORT [--top=N]
//   biocorpus retag     --target=HOST:PORT [--force]
//   biocorpus publish   --target=HOST:PORT
//   biocorpus cite      --target=HOST:PORT (--doi=D | --url=U | --title=T |
//                       --author=FAMILY[:YEAR]) [--formats=apa,bibtex,ris,csl_json]
//   biocorpus citing    --target=HOST:PORT (--doi=D | --url=U)
//   biocorpus references --target=HOST:PORT documents/ID
//   biocorpus counts    --target=HOST:PORT --by=concept|category|year|format|
//                       language|source_tag [filters] [--top=N] [--csv]
//   biocorpus cooccur   --target=HOST:PORT (--rows=ID,.. | --row_category=C)
//                       (--columns=ID,.. | --column_category=C) [--unit=document]
//                       [--order=npmi] [--by_year] [filters] [--csv] [--plot=F.svg]
//   biocorpus trends    --target=HOST:PORT --concepts=ID,.. [filters] [--csv]
//                       [--plot=F.svg]
//   biocorpus significant --target=HOST:PORT filters [--csv]
//   biocorpus export    --target=HOST:PORT [--format=bioc-json] [documents/ID...]
//                       [--document_format=F] [--year_min=Y] ... [--output=F]
//
// Filters of the analytics commands are those of search: --query,
// --concepts, --match, --descendants, --category, --format, --year_min,
// --year_max, --author, --language, --source_tag.
//
// `ingest` takes files and folders (read recursively, in name order) and
// streams them through IngestDocuments, printing one line per document and,
// on long runs, a progress line on stderr. It exits 1 when any document was
// refused. `get` prints JSON; `documents` and `passages` print one line per
// item, or JSON with --json.

#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "cli/cli_common.h"
#include "cli/cli_flags.h"

int main(int argc, char** argv) {
  namespace cli = biocorpus::cli;
  absl::SetProgramUsageMessage(
      "The biocorpus command-line client.\n"
      "  biocorpus ingest    --target=HOST:PORT [--format=F] PATH...\n"
      "  biocorpus delete    --target=HOST:PORT documents/ID...\n"
      "  biocorpus get       --target=HOST:PORT documents/ID\n"
      "  biocorpus documents --target=HOST:PORT [--format=F] [--page_size=N]\n"
      "  biocorpus passages  --target=HOST:PORT documents/ID\n"
      "  biocorpus search    --target=HOST:PORT [--query=Q] [--concepts=ID[,ID]]\n"
      "                      [--match=all] [--descendants] [--category=C] [--facets=N]\n"
      "  biocorpus tags      --target=HOST:PORT [--category=C] [--top=N]\n"
      "  biocorpus summary   --target=HOST:PORT [--top=N]\n"
      "  biocorpus retag     --target=HOST:PORT [--force]\n"
      "  biocorpus publish   --target=HOST:PORT\n"
      "  biocorpus cite      --target=HOST:PORT (--doi=D | --url=U | --title=T |\n"
      "                      --author=FAMILY[:YEAR]) [--formats=apa,bibtex,ris,csl_json]\n"
      "  biocorpus citing    --target=HOST:PORT (--doi=D | --url=U)\n"
      "  biocorpus references --target=HOST:PORT documents/ID\n"
      "  biocorpus counts    --target=HOST:PORT --by=concept|category|year|format|language|\n"
      "                      source_tag [filters] [--top=N] [--csv]\n"
      "  biocorpus cooccur   --target=HOST:PORT (--rows=ID,.. | --row_category=C)\n"
      "                      (--columns=ID,.. | --column_category=C) [--unit=document]\n"
      "                      [--order=npmi] [--by_year] [filters] [--csv] [--plot=F.svg]\n"
      "  biocorpus trends    --target=HOST:PORT --concepts=ID,.. [filters] [--csv] [--plot=F.svg]\n"
      "  biocorpus significant --target=HOST:PORT filters [--csv]\n"
      "  biocorpus export    --target=HOST:PORT [--format=bioc-json] [documents/ID...]\n"
      "                      [--document_format=F] [--year_min=Y] ... [--output=F]\n"
      "filters: --query --concepts --match --descendants --category --format --year_min\n"
      "         --year_max --author --language --source_tag");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    return cli::Fail("give a command: ingest, delete, get, documents, passages, search, "
                "tags, summary, retag, publish, cite, citing, references, counts, cooccur, "
                "trends, significant, export (--help)");
  }
  const std::string command = args[1];
  if (command == "ingest") return cli::Ingest(args);
  if (command == "delete") return cli::Delete(args);
  if (command == "get") return cli::Get(args);
  if (command == "documents") return cli::ListDocuments();
  if (command == "passages") return cli::ListPassages(args);
  if (command == "search") return cli::Search();
  if (command == "tags") return cli::Tags();
  if (command == "retag") return cli::Retag();
  if (command == "summary") return cli::Summary();
  if (command == "publish") return cli::Publish();
  if (command == "cite") return cli::Cite();
  if (command == "citing") return cli::Citing();
  if (command == "references") return cli::References(args);
  if (command == "counts") return cli::Counts();
  if (command == "cooccur") return cli::Cooccur();
  if (command == "trends") return cli::Trends();
  if (command == "significant") return cli::Significant();
  if (command == "export") return cli::Export(args);
  return cli::Fail(absl::StrCat("unknown command '", command, "'"));
}
