import { describe, expect, it } from 'vitest';
import { phoneProblem } from '../phone';

describe('contact phone', () => {
  it.each([
    '0973-8722111',
    '0973-8722111转8001',
    '0973－8722111 转 8001',
    '(0973)8722111',
    '09738722111',
    '13800000000',
    '138 0000 0000',
    '+86 138 0000 0000',
    '+86-0973-8722111',
    '8722111',
    '0973-8722111 ext. 12',
  ])('accepts %s', (phone) => expect(phoneProblem(phone)).toBeNull());

  it.each(['', '12345', 'abc', '0973-87221', '138000000001', '电话'])(
    'refuses %s with a message a clerk reads',
    (phone) => {
      const message = phoneProblem(phone)!;
      expect(message).toMatch(/联系电话/);
      expect(message).not.toMatch(/contact|phone/);
    },
  );
});
