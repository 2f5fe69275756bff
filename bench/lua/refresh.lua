-- Refresh with strict rotation: each thread gets its own pool of refresh tokens (TOKENS_FILE, one per line,
-- split across threads); every token is used once and the new one from each response goes back into the pool.
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local pool = {}
local client = "&client_id=" .. os.getenv("CLIENT_ID") .. "&client_secret=" .. os.getenv("CLIENT_SECRET")
init = function(args)
  local nthreads = tonumber(os.getenv("THREADS") or "2")
  local i = 0
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    if i % nthreads == id then
      pool[#pool + 1] = line
    end
    i = i + 1
  end
end

request = function()
  local token = table.remove(pool)
  if token == nil then
    -- Pool exhausted (every token in flight): this request fails visibly as a non-2xx.
    token = "exhausted"
  end
  return wrk.format("POST", "/oauth/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&refresh_token=" .. token .. client)
end

response = function(status, headers, body)
  if status == 200 then
    local token = string.match(body, '"refresh_token":"([^"]+)"')
    if token then
      pool[#pool + 1] = token
    end
  end
end
