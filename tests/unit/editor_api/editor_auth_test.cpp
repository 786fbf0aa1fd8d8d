// The editor side's small pieces: cookies, CSRF tokens, bearer headers, which role may do what,
// form fields from either kind of form body, the strict JSON reader.
#include "editor_api/editor_auth.h"

#include <catch2/catch.hpp>

#include "editor_api/json_reader.h"

using namespace clemency;

TEST_CASE("a cookie is found by its exact name among the others") {
  const std::string header = "a=1; clemency_session_old=zzz;clemency_session=abc-_9 ; b=\"q\"";
  CHECK(CookieValue(header, "clemency_session") == "abc-_9");
  CHECK(CookieValue(header, "b") == "q");
  CHECK(CookieValue(header, "a") == "1");
  CHECK(CookieValue(header, "clemency") == "");
  CHECK(CookieValue("", "clemency_session") == "");
  CHECK(CookieValue("clemency_session", "clemency_session") == "");  // no '=': not a cookie
  // The first of two cookies of the same name (a browser lists the more specific path first).
  CHECK(CookieValue("x=1; x=2", "x") == "1");
}

TEST_CASE("cookies are HttpOnly and SameSite=Strict, Secure when asked") {
  CookieSpec plain;
  CHECK(SetCookieHeader("clemency_session", "id", plain) ==
        "clemency_session=id; Path=/; HttpOnly; SameSite=Strict");
  CookieSpec gone;
  gone.path = "/admin/login";
  gone.max_age = 0;
  gone.secure = true;
  CHECK(SetCookieHeader("clemency_login", "", gone) ==
        "clemency_login=; Path=/admin/login; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
}

TEST_CASE("a CSRF token matches only itself, and an empty one never matches") {
  CHECK(CsrfMatches("k3y-token_value", "k3y-token_value"));
  CHECK_FALSE(CsrfMatches("k3y-token_value", "k3y-token_valuf"));
  CHECK_FALSE(CsrfMatches("k3y-token_value", "k3y-token_valu"));
  CHECK_FALSE(CsrfMatches("k3y-token_value", ""));
  CHECK_FALSE(CsrfMatches("", ""));  // a session without a token must not accept a form without one
  CHECK_FALSE(CsrfMatches("", "anything"));
}

TEST_CASE("a bearer token is read from the Authorization header only in the Bearer scheme") {
  CHECK(BearerToken("Bearer abc.def") == "abc.def");
  CHECK(BearerToken("bearer   abc ") == "abc");
  CHECK(BearerToken("Basic dXNlcjpwYXNz") == "");
  CHECK(BearerToken("Bearer ") == "");
  CHECK(BearerToken("Bearerabc") == "");
}

TEST_CASE("each action needs its permission, and each role has the right ones") {
  CHECK(PermissionFor("save") == Permission::kEdit);
  CHECK(PermissionFor("create") == Permission::kEdit);
  CHECK(PermissionFor("approve") == Permission::kApprove);
  CHECK(PermissionFor("reject") == Permission::kApprove);
  CHECK(PermissionFor("publish") == Permission::kPublish);
  CHECK(PermissionFor("schedule") == Permission::kPublish);
  CHECK(PermissionFor("unpublish") == Permission::kPublish);
  CHECK(PermissionFor("audit") == Permission::kReadAudit);
  CHECK_FALSE(PermissionFor("").has_value());
  CHECK_FALSE(PermissionFor("dashboard").has_value());
  auto may = [](const std::string& role, const char* action) {
    return May(role, *PermissionFor(action));
  };
  CHECK(may("editor", "save"));
  CHECK(may("editor", "submit"));
  CHECK_FALSE(may("editor", "approve"));
  CHECK_FALSE(may("editor", "publish"));
  CHECK_FALSE(may("editor", "unpublish"));
  CHECK_FALSE(may("editor", "audit"));
  CHECK(may("publisher", "approve"));
  CHECK(may("publisher", "publish"));
  CHECK(may("publisher", "audit"));
  CHECK(may("admin", "audit"));
  CHECK_FALSE(may("reader", "save"));  // not a role: nothing
}

TEST_CASE("form fields come from the body, url-encoded or multipart, never the query") {
  httplib::Request form;
  form.method = "POST";
  form.target = "/admin/edits?csrf=from-query";
  form.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  form.body = "csrf=t%2Bk&path=content%2Fguides%2Fa.vi.md&empty=";
  form.params.emplace("csrf", "from-query");  // what httplib puts there from the query string
  CHECK(FormField(form, "csrf") == "t+k");
  CHECK(FormField(form, "path") == "content/guides/a.vi.md");
  CHECK(HasFormField(form, "empty"));
  CHECK_FALSE(HasFormField(form, "missing"));

  httplib::Request multipart;
  multipart.method = "POST";
  multipart.headers.emplace("Content-Type", "multipart/form-data; boundary=x");
  multipart.files.emplace("body", httplib::MultipartFormData{"body", "Dòng 1\r\nDòng 2", "", ""});
  CHECK(FormField(multipart, "body") == "Dòng 1\r\nDòng 2");
  CHECK(FormField(multipart, "csrf") == "");

  httplib::Request json;
  json.headers.emplace("Content-Type", "application/json");
  json.body = "{\"csrf\":\"x\"}";
  CHECK(FormField(json, "csrf") == "");
}

TEST_CASE("the JSON reader takes strict JSON only") {
  std::string error;
  auto value = ParseJson(R"( {"text":"Đặc xá\n\"x\" \u00e9 \ud83d\ude00","n":-1.5e2,"ok":true,"z":null,"a":[1,{}]} )",
                         &error);
  REQUIRE(value);
  bool wrong = false;
  CHECK(value->StringField("text", &wrong) == "Đặc xá\n\"x\" é 😀");
  CHECK(value->BoolField("ok", &wrong) == true);
  CHECK_FALSE(value->StringField("z", &wrong).has_value());  // null: as if absent
  CHECK_FALSE(wrong);
  CHECK_FALSE(value->StringField("n", &wrong).has_value());
  CHECK(wrong);  // a number where text was wanted
  CHECK(value->Find("n")->number() == -150);
  CHECK(value->Find("a")->items().size() == 2);

  for (const char* bad : {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":1}{}", "{\"a\":01}",
                          "{\"a\":\"\x01\"}", "{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}",
                          "{\"a\":\"\xc3\x28\"}", "{\"a\":\"\xe0\x80\xaf\"}", "{\"a\":tru}",
                          "{\"a\":\"\\x41\"}", "{\"a\":-}", "{\"a\":1.}"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseJson(bad, &error));
    CHECK_FALSE(error.empty());
  }
  std::string deep(40, '[');
  deep += std::string(40, ']');
  CHECK_FALSE(ParseJson(deep, &error));
  CHECK(error.find("deeply") != std::string::npos);
}

TEST_CASE("the sign-in limit counts the client behind the TLS proxy, not the proxy") {
  httplib::Request req;
  req.remote_addr = "127.0.0.1";
  req.headers.emplace("X-Forwarded-For", "6.6.6.6, 203.0.113.9");
  EditorAuth direct(nullptr, nullptr, nullptr, nullptr, false);
  EditorAuth proxied(nullptr, nullptr, nullptr, nullptr, true);
  CHECK(direct.ClientAddress(req) == "127.0.0.1");  // no proxy: the header is the client's own
  CHECK(proxied.ClientAddress(req) == "203.0.113.9");  // what the proxy appended
  req.remote_addr = "198.51.100.4";  // not through the local proxy: the header is not trusted
  CHECK(proxied.ClientAddress(req) == "198.51.100.4");
  httplib::Request bare;
  bare.remote_addr = "127.0.0.1";
  CHECK(proxied.ClientAddress(bare) == "127.0.0.1");
}

TEST_CASE("sign-in addresses reach the audit log cut to their network") {
  CHECK(AddressPrefix("203.0.113.77") == "203.0.113.0/24");
  CHECK(AddressPrefix("::ffff:198.51.100.9") == "198.51.100.0/24");
  CHECK(AddressPrefix("2001:db8:abcd:12:1::5") == "2001:db8:abcd::/48");
  CHECK(AddressPrefix("::1") == "::1");
}
