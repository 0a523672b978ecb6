-- A mix of the example app's routes (examples/visitors), database routes included.
local n = 0
local animals = {"cat", "dog", "goat", "owl", "fox"}

request = function()
  n = n + 1
  local pick = n % 10
  local who = "soak" .. (n % 50)
  if pick == 0 then
    return wrk.format("PUT", "/api/users/" .. who, {["content-type"] = "application/json"},
      '{"message": "hello ' .. n .. '"}')
  elseif pick == 1 then
    return wrk.format("POST", "/animals", {["content-type"] = "application/json"},
      '{"animal": "' .. animals[(math.floor(n / 10) % 5) + 1] .. '"}')
  elseif pick == 2 then
    return wrk.format("GET", "/api/stats")
  elseif pick == 3 then
    return wrk.format("GET", "/api/users?limit=5")
  elseif pick == 4 then
    return wrk.format("GET", "/animals")
  elseif pick == 5 then
    return wrk.format("GET", "/animals/cat")  -- posted by this thread's first write (n = 1)
  elseif pick == 6 then
    return wrk.format("GET", "/health")
  else
    return wrk.format("GET", "/")
  end
end
