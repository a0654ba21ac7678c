// The private PostgreSQL server of the collector's tests (ctest fixture collector_pg, started by
// pg_server.sh): its URL, and a schema of a test's own. A missing server is an error the test
// fails with, never a skip.
#ifndef NAZAR_TESTS_COLLECTOR_TEST_PG_H_
#define NAZAR_TESTS_COLLECTOR_TEST_PG_H_

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace nazar::collector::pgtest {

// The text of the file at `path`, trailing spaces and line breaks dropped ("" when missing).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The URL pg_server.sh wrote for the fixture's server (ctest starts it: collector_pg_start).
inline std::string PostgresUrl(std::string* error) {
  const char* dir = std::getenv("NAZAR_TEST_PG_DIR");
  if (!dir || !*dir) {
    *error =
        "NAZAR_TEST_PG_DIR is not set: run the PostgreSQL tests through ctest, which starts "
        "the server (tests/collector/pg_server.sh start DIR)";
    return "";
  }
  std::string url = Slurp(std::string(dir) + "/url");
  if (url.empty()) {
    *error = std::string("no PostgreSQL server: ") + dir +
             "/url is missing (see the output of the collector_pg_start test)";
  }
  return url;
}

// Runs `sql` (no rows wanted) on `url`; "" or the error.
inline std::string PostgresRun(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

// `prefix` and the running test's name, lowercased, other characters as '_', at most 63 bytes:
// a schema or folder name of the test's own, so ctest may run tests in parallel.
inline std::string TestSchemaName(const std::string& prefix) {
  std::string name = prefix;
  for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '_';
  }
  return name.substr(0, 63);
}

// A URL of the fixture's server whose search_path is the new, empty schema `name` (a lowercase
// identifier): a database of the test's own, cheaper than CREATE DATABASE. "" and *error set
// when there is no server.
inline std::string PostgresTestDb(const std::string& name, std::string* error) {
  const std::string url = PostgresUrl(error);
  if (url.empty()) return "";
  *error = PostgresRun(url, "DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name);
  if (!error->empty()) return "";
  return url + "&options=-csearch_path%3D" + name;
}

}  // namespace nazar::collector::pgtest

#endif  // NAZAR_TESTS_COLLECTOR_TEST_PG_H_
