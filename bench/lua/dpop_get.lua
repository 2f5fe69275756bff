-- GET with a DPoP-bound access token (TOKEN) and a fresh proof per request: proofs are made before the run by
-- io.storeman.bench.DpopProofFiles (TOKENS_FILE, one per line, split across threads) since Lua cannot sign. Each
-- proof is sent once: a replay would be refused with 401 (docs/security.md B3).
local counter = 0
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local pool = {}
local next_proof = 1
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

local authorization = "DPoP " .. os.getenv("TOKEN")
request = function()
  local proof = pool[next_proof]
  if proof == nil then
    -- Out of proofs: this request fails visibly (401, a non-2xx in the table), never a replay of a used proof.
    proof = "exhausted"
  else
    pool[next_proof] = nil
    next_proof = next_proof + 1
  end
  return wrk.format("GET", nil, { ["Authorization"] = authorization, ["DPoP"] = proof })
end
