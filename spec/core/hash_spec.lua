-- The core's hashes: MD5 (logical IDs, tree hashes) against every RFC 1321 test vector, and
-- SHA-256 against the FIPS 180-2 examples; block-boundary lengths against known digests.
local core = require "cdk.core"

describe("MD5", function()
  it("gives the RFC 1321 test suite digests", function()
    assert.equal("d41d8cd98f00b204e9800998ecf8427e", core._md5(""))
    assert.equal("0cc175b9c0f1b6a831c399e269772661", core._md5("a"))
    assert.equal("900150983cd24fb0d6963f7d28e17f72", core._md5("abc"))
    assert.equal("f96b697d7cb7938d525a2f31aaf161d0", core._md5("message digest"))
    assert.equal("c3fcd3d76192e4007dfb496cca67e13b", core._md5("abcdefghijklmnopqrstuvwxyz"))
    assert.equal("d174ab98d277d9f5a5611c2c9f419d9f",
      core._md5("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
    assert.equal("57edf4a22be3c955ac49da2e2107b67a", core._md5(string.rep("1234567890", 8)))
  end)

  it("pads correctly around the 64-byte block boundary", function()
    local want = {
      [55] = "04364420e25c512fd958a70738aa8f72", [56] = "668a72d5ba17f08e62dabcafad6db14b",
      [57] = "693037871c4a9d3d8685018905cb530a", [63] = "7dc2ca208106a2f703567bdff99d8981",
      [64] = "c1bb4f81d892b2d57947682aeb252456", [65] = "1bc932052302d074bdec39795fe00cf6",
      [119] = "ab347a5f68c8a443cfcddc633f12c24f", [120] = "fb98667f98096de92620b64f46e1c5b5",
      [128] = "d69cb61a6ee87200676eb0d4b90edbcb",
    }
    for n, digest in pairs(want) do
      assert.equal(digest, core._md5(string.rep("x", n)), "length " .. n)
    end
  end)

  it("hashes every byte value, NUL included", function()
    local all = {}
    for i = 0, 255 do all[#all + 1] = string.char(i) end
    assert.equal("e2c865db4162bed963bfaa9ef6ac18f0", core._md5(table.concat(all)))
  end)
end)

describe("SHA-256", function()
  it("gives the FIPS 180-2 example digests", function()
    assert.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", core._sha256("abc"))
    assert.equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      core._sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
    assert.equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
      core._sha256(string.rep("a", 1000000)))
  end)

  it("gives the digests of the empty string and the 896-bit message", function()
    assert.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", core._sha256(""))
    assert.equal("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
      core._sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))
  end)

  it("pads correctly around the 64-byte block boundary", function()
    local want = {
      [55] = "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072",
      [56] = "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e",
      [57] = "ae14a2563ccf969d99aca69ce6bb74981f734bbf9f655f73b8f06db68cab5217",
      [63] = "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2",
      [64] = "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c",
      [65] = "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9",
      [119] = "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c",
      [120] = "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98",
      [128] = "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464",
    }
    for n, digest in pairs(want) do
      assert.equal(digest, core._sha256(string.rep("x", n)), "length " .. n)
    end
  end)

  it("hashes every byte value, NUL included", function()
    local all = {}
    for i = 0, 255 do all[#all + 1] = string.char(i) end
    assert.equal("40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880", core._sha256(table.concat(all)))
  end)
end)
