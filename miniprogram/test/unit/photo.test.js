// Photos are scaled on the phone to config.photoMaxEdge on their longest edge, upright ones too.
const photo = require('../../src/utils/photo');

afterEach(() => jest.restoreAllMocks());

test.each([
  [4000, 3000, { compressedWidth: 1920 }],
  [3000, 4000, { compressedHeight: 1920 }],
  [1600, 1200, {}],
])('a %i×%i photo is compressed with %j', async (width, height, scale) => {
  jest.spyOn(wx, 'getImageInfo').mockImplementation((o) => o.success({ width, height, path: o.src }));
  const calls = [];
  jest.spyOn(wx, 'compressImage').mockImplementation((o) => {
    calls.push(o);
    o.success({ tempFilePath: 'wxfile://tmp_small.jpg' });
  });
  expect(await photo.compress('wxfile://tmp_big.jpg')).toBe('wxfile://tmp_small.jpg');
  const { src, quality, compressedWidth, compressedHeight } = calls[0];
  expect({ src, quality, compressedWidth, compressedHeight }).toEqual({ src: 'wxfile://tmp_big.jpg', quality: 70, compressedWidth: undefined,
    compressedHeight: undefined, ...scale });
});
