-- wrk's script for the search bench (tests/bench/search_bench.sh): each request asks the next
-- typical query in turn. SEARCH_ROUTE=api: GET /api/v1/search?lang=&q= (every language's
-- queries); SEARCH_ROUTE=page: GET /vi/search/?q= (the Vietnamese ones).
local route = os.getenv("SEARCH_ROUTE") or "api"
local all = {
  {"vi", "dac%20xa"},  -- dac xa
  {"vi", "vay%20von"},  -- vay von
  {"vi", "ho%20tro"},  -- ho tro
  {"vi", "tien%20an"},  -- tien an
  {"vi", "giay%20to"},  -- giay to
  {"vi", "%C4%91%E1%BA%B7c%20x%C3%A1"},  -- đặc xá
  {"vi", "vay%20v"},  -- vay v
  {"en", "special%20amnesty"},  -- special amnesty
  {"en", "bank%20loan"},  -- bank loan
  {"en", "criminal%20record"},  -- criminal record
  {"en", "apply%20for"},  -- apply for
  {"en", "support%20centre"},  -- support centre
  {"km", "%E1%9E%9B%E1%9E%BE%E1%9E%80%E1%9E%9B%E1%9F%82%E1%9E%84%E1%9E%91%E1%9F%84%E1%9E%9F%20%E1%9E%96%E1%9E%B7%E1%9E%9F%E1%9F%81%E1%9E%9F"},  -- លើកលែងទោស ពិសេស
  {"km", "%E1%9E%94%E1%9F%92%E1%9E%9A%E1%9E%B6%E1%9E%80%E1%9F%8B%20%E1%9E%80%E1%9E%98%E1%9F%92%E1%9E%85%E1%9E%B8"},  -- ប្រាក់ កម្ចី
  {"km", "%E1%9E%80%E1%9F%86%E1%9E%8E%E1%9E%8F%E1%9F%8B%E1%9E%8F%E1%9F%92%E1%9E%9A%E1%9E%B6%20%E1%9E%96%E1%9F%92%E1%9E%9A%E1%9E%A0%E1%9F%92%E1%9E%98%E1%9E%91%E1%9E%8E%E1%9F%92%E1%9E%8C"},  -- កំណត់ត្រា ព្រហ្មទណ្ឌ
}
local queries = {}
for _, q in ipairs(all) do
  if route == "api" or q[1] == "vi" then queries[#queries + 1] = q end
end
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  if route == "api" then
    return wrk.format("GET", "/api/v1/search?lang=" .. q[1] .. "&q=" .. q[2])
  end
  return wrk.format("GET", "/" .. q[1] .. "/search/?q=" .. q[2])
end
