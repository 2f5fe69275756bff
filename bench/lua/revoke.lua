-- Revoke a cycle of distinct access tokens (TOKENS_FILE, one per line): the first pass revokes, later passes find
-- them revoked already; every answer is 200 {}.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do
  tokens[#tokens + 1] = line
end
local client = "&client_id=" .. os.getenv("CLIENT_ID") .. "&client_secret=" .. os.getenv("CLIENT_SECRET")
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/oauth/revoke", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "token=" .. tokens[(n % #tokens) + 1] .. client)
end
